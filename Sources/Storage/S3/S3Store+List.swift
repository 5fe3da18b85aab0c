import Foundation

extension S3Store {
    /// ListObjectsV2, page after page (at most 1,000 keys each), following `NextContinuationToken`.
    public func list(prefix: String) -> ObjectListing {
        ObjectListing { (token: String?) async throws(StorageError) -> ObjectListing.Page in
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", key: nil, query: query)
            guard response.isSuccess else { throw response.error(key: prefix) }
            let body = response.body
            let location = "s3://\(bucket)/\(prefix)"
            return ObjectListing.Page(early: Self.continuationToken(in: body)) { () throws(StorageError) in
                try Self.page(from: body, location: location)
            }
        }
    }

    /// The NextContinuationToken found by a plain scan, before the page is parsed; nil when there is
    /// none. Only a head start: the parsed page decides.
    static func continuationToken(in body: Data) -> String? {
        let open = Data("<NextContinuationToken>".utf8)
        let close = Data("</NextContinuationToken>".utf8)
        guard let start = body.range(of: open)?.upperBound,
            let end = body.range(of: close, in: start..<body.endIndex)?.lowerBound,
            let text = String(data: body[start..<end], encoding: .utf8), !text.isEmpty
        else { return nil }
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Parses one ListBucketResult page.
    static func page(from body: Data, location: String) throws(StorageError) -> (objects: [ObjectInfo], next: String?) {
        guard let tree = XMLTree.parse(body), tree.name == "ListBucketResult" else {
            throw .invalidResponse(location: location, reason: "the listing is not a ListBucketResult document")
        }
        var objects: [ObjectInfo] = []
        objects.reserveCapacity(tree.children.count)
        for entry in tree.children("Contents") {
            guard let key = entry.text("Key"), let size = entry.text("Size").flatMap(Int64.init) else {
                throw .invalidResponse(location: location, reason: "a listed object lacks its Key or Size")
            }
            objects.append(
                ObjectInfo(
                    key: key, size: size, lastModified: entry.text("LastModified").flatMap(HTTPDates.iso8601),
                    etag: entry.text("ETag")))
        }
        let truncated = tree.text("IsTruncated") == "true"
        let next = tree.text("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && next == nil {
            throw .invalidResponse(location: location, reason: "a truncated listing gave no continuation token")
        }
        return (objects, truncated ? next : nil)
    }
}
