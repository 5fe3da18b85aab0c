import Foundation

extension S3Store {
    public func put(_ key: String, from file: URL, contentType: String?) async throws(StorageError) {
        _ = try await upload(key, from: file, contentType: contentType, createOnly: false)
    }

    /// Create-only upload: `If-None-Match: *`, which S3 answers with 412 when the key exists.
    public func create(_ key: String, from file: URL, contentType: String?) async throws(StorageError) -> CreateResult {
        try await upload(key, from: file, contentType: contentType, createOnly: true)
    }

    /// One PUT streamed from the file up to the multipart threshold, parts above it. S3 makes a PUT
    /// visible only once complete, and an unfinished multipart upload is aborted, so no reader ever
    /// sees half an object.
    func upload(_ key: String, from file: URL, contentType: String?, createOnly: Bool) async throws(StorageError)
        -> CreateResult
    {
        let size = try LocalFiles.size(of: file.path)
        let type = contentType ?? ContentTypes.forKey(key)
        if size > options.multipartThreshold {
            return try await multipartUpload(key, from: file, size: size, contentType: type, createOnly: createOnly)
        }
        var headers: [(name: String, value: String)] = [("Content-Type", type)]
        // S3 verifies the object against it, as the AWS CLI asks by default.
        if size > 0 {
            headers += [
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("x-amz-checksum-crc32", CRC32.base64(try CRC32.of(file: file.path, range: 0..<size))),
            ]
        }
        if createOnly { headers.append(("If-None-Match", "*")) }
        // An empty file goes as an empty in-memory body: there is nothing to stream.
        let response = try await exchange(
            "PUT", key: key, headers: headers,
            payloadHash: size == 0 ? SigV4Signer.emptyPayloadHash : SigV4Signer.unsignedPayload
        ) {
            (request: HTTPRequest, http: HTTPClient, prepare: @escaping HTTPClient.Prepare) async throws(HTTPError)
                -> HTTPResponse in
            size == 0
                ? try await http.send(request, body: .data(Data()), prepare: prepare)
                : try await http.upload(request, file: file, range: 0..<size, prepare: prepare)
        }
        if createOnly && response.status == 412 { return .alreadyExists }
        guard response.isSuccess else { throw response.error(key: key) }
        return .created
    }
}
