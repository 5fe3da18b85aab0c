import Foundation

/// Part of an object, for checking a frame's header and end without downloading the frame (issue #14).
extension S3Store {
    /// A GET with `Range: bytes=a-b` and, when `etag` is given, `If-Match` on it: S3 answers 412 (the object changed
    /// since it was read) when the frame was replaced after it was listed. 206 with exactly the range is accepted, and
    /// 200 when the range is the whole object. The body goes to a temporary file, not to memory, so a server that
    /// ignores `Range` cannot make the runner hold a whole large object in memory.
    public func read(_ key: String, range: Range<Int64>, ifMatch etag: String?) async throws(StorageError) -> Data {
        guard !range.isEmpty else { return Data() }
        let location = "s3://\(bucket)/\(key)"
        let temporary = LocalFiles.temporaryFile("range")
        let descriptor = try LocalFiles.create(temporary)
        defer {
            close(descriptor)
            unlink(temporary)
        }
        let headers: [(name: String, value: String)] = etag.map { [("If-Match", $0)] } ?? []
        let response = try await exchange("GET", key: key, headers: headers, payloadHash: SigV4Signer.emptyPayloadHash)
        {
            (request: HTTPRequest, http: HTTPClient, prepare: @escaping HTTPClient.Prepare) async throws(HTTPError)
                -> HTTPResponse in
            try await http.download(request, range: range, into: descriptor, at: 0, path: temporary, prepare: prepare)
        }
        guard response.isSuccess else { throw response.error(key: key) }
        let received = response.response.bytesWritten
        // A 200 is the whole object: the range asked for only when it starts at 0 and the object is that long.
        let expected = Int64(range.count)
        guard received == expected, response.status == 206 || range.lowerBound == 0 else {
            throw .lengthMismatch(location: location, expected: expected, received: received)
        }
        return try LocalFiles.read(temporary, range: 0..<expected)
    }
}
