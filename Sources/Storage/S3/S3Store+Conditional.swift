import Foundation

/// Conditional writes on S3 (the run lock's heartbeat and takeover): `If-Match` on the ETag a read returned.
/// S3 answers 412 Precondition Failed when the object changed since, and 404 when it is gone.
extension S3Store {
    public func readTagged(_ key: String) async throws(StorageError) -> TaggedObject? {
        let response = try await send("GET", key: key)
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw response.error(key: key) }
        guard let etag = response.header("etag"), !etag.isEmpty else {
            throw .invalidResponse(
                location: "s3://\(bucket)/\(key)", reason: "no ETag in the GET answer, which a conditional write needs")
        }
        return TaggedObject(data: response.body, tag: etag)
    }

    public func replace(_ key: String, data: Data, ifMatch tag: String, contentType: String?) async throws(StorageError)
        -> String?
    {
        let payloadHash: String
        do throws(DigestError) {
            payloadHash = try SHA256Digest.hex(of: data)
        } catch {
            throw .crypto(error.description)
        }
        let headers: [(name: String, value: String)] = [
            ("Content-Type", contentType ?? ContentTypes.forKey(key)), ("If-Match", tag),
        ]
        let response = try await send("PUT", key: key, headers: headers, body: .data(data), payloadHash: payloadHash)
        // 412: replaced by someone else since our read; 404: deleted since (a released lock). Nothing was written.
        if response.status == 412 || response.status == 404 { return nil }
        guard response.isSuccess else { throw response.error(key: key) }
        if let etag = response.header("etag"), !etag.isEmpty { return etag }
        // Some S3-compatible stores leave the ETag out of a PUT's answer: read it back.
        return try await readTagged(key)?.tag
    }
}
