import Foundation

extension S3Store {
    /// The region S3 says the bucket is in, when `response` is a region answer for a request signed for another:
    /// a 301 `PermanentRedirect` or 307 (the `x-amz-bucket-region` header, the body's `Region` or `Endpoint`), or a
    /// 400 `AuthorizationHeaderMalformed` naming the region. A redirect without any of these is asked again the
    /// way AWS SDKs ask: a HEAD on the bucket, to the same endpoint, whose answer carries `x-amz-bucket-region`
    /// whatever its status. The redirect's `Location` is never used.
    func regionAnswer(_ response: HTTPResponse, context: Context) async -> String? {
        let status = response.status
        guard (300..<400).contains(status) || status == 400 else { return nil }
        let tree = response.body.isEmpty ? nil : XMLTree.parse(response.body)
        if status == 400 {
            guard tree?.text("Code") == "AuthorizationHeaderMalformed" else { return nil }
            return tree?.text("Region").flatMap { S3ErrorMapping.isRegionName($0) ? $0 : nil }
        }
        let candidates = [
            response.header("x-amz-bucket-region"), tree?.text("Region"),
            tree?.text("Endpoint").flatMap(S3ErrorMapping.region(inEndpoint:)),
        ]
        if let region = candidates.compactMap({ $0 }).first(where: S3ErrorMapping.isRegionName) { return region }
        return await headBucketRegion(context: context)
    }

    /// `x-amz-bucket-region` from a HEAD on the bucket (S3 sends it with a 200, a 301 and a 403 alike).
    func headBucketRegion(context: Context) async -> String? {
        guard let (request, path) = try? self.request("HEAD", key: nil, addressing: context.addressing) else {
            return nil
        }
        let answer = try? await context.http.send(
            request,
            prepare: signing(
                path: path, query: [], payloadHash: SigV4Signer.emptyPayloadHash,
                context: context))
        return answer?.header("x-amz-bucket-region").flatMap { S3ErrorMapping.isRegionName($0) ? $0 : nil }
    }
}
