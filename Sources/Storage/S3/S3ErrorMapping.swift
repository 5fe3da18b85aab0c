/// Turns S3's error answers (`<Error><Code>…</Code><Message>…</Message></Error>`) into sentences.
struct S3ErrorMapping: Sendable {
    let bucket: String
    let endpoint: String
    let credentials: AWSCredentials

    /// The error for a non-2xx answer about `key` (nil for bucket-level requests).
    func error(for response: HTTPResponse, key: String?) -> StorageError {
        let location = "s3://\(bucket)/\(key ?? "")"
        let tree = response.body.isEmpty ? nil : XMLTree.parse(response.body)
        let code = tree?.text("Code") ?? Self.codeWithoutBody(response.status)
        let message = tree?.text("Message") ?? ""
        switch code {
        case "NoSuchBucket":
            return .noSuchBucket(bucket: bucket, endpoint: endpoint)
        case "NoSuchKey", "NotFound":
            return .notFound(location: location)
        case "AccessDenied", "Forbidden":
            return .accessDenied(location: location, credentials: credentials.description)
        case "InvalidAccessKeyId":
            return .invalidAccessKey(accessKeyID: credentials.accessKeyID, origin: credentials.origin, endpoint: endpoint)
        case "SignatureDoesNotMatch":
            return .signatureMismatch(location: location, accessKeyID: credentials.accessKeyID, origin: credentials.origin)
        case "RequestTimeTooSkewed":
            return .clockSkew(location: location)
        default:
            return .server(location: location, status: response.status, code: code, message: message)
        }
    }

    /// HEAD answers carry no body, so the status is all there is to go on.
    private static func codeWithoutBody(_ status: Int) -> String {
        switch status {
        case 404: return "NotFound"
        case 403: return "Forbidden"
        case 412: return "PreconditionFailed"
        default: return "HTTP\(status)"
        }
    }

    /// Whether an S3 answer is worth retrying: 500, 502, 503 (`SlowDown`), 504, and 400 `RequestTimeout`.
    static func isRetryable(_ response: HTTPResponse) -> Bool {
        if [500, 502, 503, 504].contains(response.status) { return true }
        if response.status == 400, let tree = XMLTree.parse(response.body), tree.text("Code") == "RequestTimeout" { return true }
        return false
    }
}
