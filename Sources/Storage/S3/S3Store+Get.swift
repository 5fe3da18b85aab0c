import Foundation

extension S3Store {
    /// Downloads into a temporary file beside `file`, in concurrent ranges for large objects, each
    /// resumed from its last byte if the connection drops; checks every length, then renames into place.
    @discardableResult
    public func get(_ key: String, to file: URL) async throws(StorageError) -> ObjectInfo {
        let info = try await head(key)
        let destination = file.path
        try LocalFiles.createParent(of: destination)
        let temporary = LocalFiles.temporarySibling(of: destination)
        let descriptor = try LocalFiles.create(temporary)
        var closed = false
        defer {
            if !closed { close(descriptor) }
            unlink(temporary)
        }
        guard ftruncate(descriptor, off_t(info.size)) == 0 else { throw LocalFiles.failure(temporary) }
        let ranges = Self.ranges(size: info.size, partSize: options.downloadPartSize)
        let location = "s3://\(bucket)/\(key)"
        let headers: [(name: String, value: String)] = info.etag.map { [("If-Match", $0)] } ?? []
        try await forEachConcurrently(ranges, limit: options.concurrency) {
            (range: Range<Int64>) async throws(StorageError) in
            // Zero-byte objects are fetched anyway, so a missing or forbidden object still fails here.
            let wanted: Range<Int64>? = ranges.count == 1 ? nil : range
            let response = try await exchange(
                "GET", key: key, headers: headers, payloadHash: SigV4Signer.emptyPayloadHash
            ) {
                (request: HTTPRequest, http: HTTPClient, prepare: @escaping HTTPClient.Prepare) async throws(HTTPError)
                    -> HTTPResponse in
                try await http.download(
                    request, range: wanted, into: descriptor, at: range.lowerBound, path: temporary, prepare: prepare)
            }
            guard response.isSuccess else { throw response.error(key: key) }
            let expected = Int64(range.count)
            guard response.response.bytesWritten == expected else {
                throw .lengthMismatch(location: location, expected: expected, received: response.response.bytesWritten)
            }
        }
        closed = true
        guard close(descriptor) == 0 else { throw LocalFiles.failure(temporary) }
        try LocalFiles.rename(temporary, to: destination)
        return info
    }

    /// Splits `size` bytes into consecutive ranges of `partSize` (one empty range for an empty object).
    static func ranges(size: Int64, partSize: Int64) -> [Range<Int64>] {
        guard size > 0 else { return [0..<0] }
        return stride(from: Int64(0), to: size, by: Int(partSize)).map { $0..<min($0 + partSize, size) }
    }
}
