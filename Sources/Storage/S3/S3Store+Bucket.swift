import Foundation

extension S3Store {
    /// CreateBucket (with a location constraint outside us-east-1); succeeds if this account already owns it.
    public func createBucket() async throws(StorageError) {
        let region = configuration.region
        let body =
            region == "us-east-1"
            ? ""
            : "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
        let data = Data(body.utf8)
        let hash: String
        do throws(DigestError) { hash = try SHA256Digest.hex(of: data) } catch { throw .crypto(error.description) }
        let response = try await send("PUT", key: nil, body: data.isEmpty ? .empty : .data(data), payloadHash: hash)
        if response.isSuccess { return }
        if XMLTree.parse(response.body)?.text("Code") == "BucketAlreadyOwnedByYou" { return }
        throw response.error(key: nil)
    }
}
