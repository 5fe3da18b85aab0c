import Foundation
import Manifest

/// Turns S3's error answers (`<Error><Code>…</Code><Message>…</Message></Error>`) into sentences.
///
/// The server's words (`Code`, `Message`, a redirect's region and endpoint) are untrusted text: each is scrubbed of
/// `secrets` and made inert here, where it enters, so every `StorageError` is safe to print and store.
struct S3ErrorMapping: Sendable {
    let bucket: String
    /// The endpoint for messages, already redacted.
    let endpoint: String
    let credentials: AWSCredentials
    /// The region requests are signed for.
    let region: String
    let secrets: SecretValues

    /// The error for a non-2xx answer to `operation` about `key` (nil for bucket-level requests).
    func error(for response: HTTPResponse, key: String?, operation: String = unnamedOperation) -> StorageError {
        let location = "s3://\(bucket)/\(key ?? "")"
        let tree = response.body.isEmpty ? nil : XMLTree.parse(response.body)
        let code = inert(tree?.text("Code") ?? Self.codeWithoutBody(response.status))
        let message = inert(tree?.text("Message") ?? "")
        if (300..<400).contains(response.status) {
            return redirect(response, tree: tree, code: code)
        }
        // AWS's other region answer: a request signed for the wrong region, with the right one in `Region`.
        if code == "AuthorizationHeaderMalformed", let region = tree?.text("Region"), Self.isRegionName(region) {
            return .redirected(
                bucket: bucket, status: response.status, code: code, region: region, redirect: nil,
                signedFor: self.region)
        }
        // The operation (and S3's code, where the sentence does not already say it) goes with the location, so every
        // message says what was asked of what: "s3://b/k (GetObject, NoSuchKey) does not exist".
        let asked = operation == Self.unnamedOperation ? location : "\(location) (\(operation))"
        let askedWithCode =
            operation == Self.unnamedOperation ? "\(location) (\(code))" : "\(location) (\(operation), \(code))"
        switch code {
        case "NoSuchBucket":
            return .noSuchBucket(bucket: bucket, endpoint: endpoint)
        case "NoSuchKey", "NotFound":
            return .notFound(location: askedWithCode)
        case "AccessDenied", "Forbidden":
            return .accessDenied(location: askedWithCode, credentials: credentials.description)
        case "InvalidAccessKeyId":
            return .invalidAccessKey(
                accessKeyID: credentials.accessKeyID, origin: credentials.origin, endpoint: endpoint)
        case "SignatureDoesNotMatch":
            return .signatureMismatch(location: asked, accessKeyID: credentials.accessKeyID, origin: credentials.origin)
        case "RequestTimeTooSkewed":
            return .clockSkew(location: asked)
        default:
            return .s3Refused(
                operation: operation, location: location, status: response.status, code: code, message: message,
                fix: fix(code: code, status: response.status))
        }
    }

    /// What a request is called when its caller did not say.
    static let unnamedOperation = "the request"

    /// What to do about an S3 code the runner has no sentence of its own for.
    func fix(code: String, status: Int) -> String {
        switch code {
        case "ExpiredToken", "TokenRefreshRequired":
            return
                "the session token of \(credentials.origin) has expired; get fresh credentials (the runner refreshes the ones it fetches itself)"
        case "InvalidToken":
            return
                "the session token of \(credentials.origin) is not valid; check AWS_SESSION_TOKEN or the profile's aws_session_token"
        case "InvalidBucketName":
            return "bucket names are 3 to 63 lower-case letters, digits, dots and hyphens"
        case "AllAccessDisabled", "AccountProblem":
            return "the bucket's account is disabled; ask its owner"
        case "InvalidObjectState":
            return "the object is archived (Glacier or Deep Archive); restore it first"
        case "EntityTooLarge":
            return "the object is larger than S3 accepts in one request"
        case "KMS.AccessDeniedException", "KMS.DisabledException", "KMS.NotFoundException":
            return "the bucket's KMS key refuses these credentials; grant kms:Decrypt and kms:GenerateDataKey"
        case "PreconditionFailed":
            return "the object changed since it was read; run again"
        case "MethodNotAllowed":
            return "the object or bucket does not allow this operation (object lock, versioning, or a delete marker)"
        case "SlowDown", "ServiceUnavailable", "InternalError":
            return "S3 is busy; run again later"
        default:
            return status == 403
                ? "check the policy of \(credentials.description) allows this operation"
                : "check the bucket, the key and the endpoint (\(endpoint))"
        }
    }

    /// A 301 (`PermanentRedirect`) or 307 (`TemporaryRedirect`) is S3 saying the bucket lives in another region.
    /// `S3Store.exchange` has already asked again in that region when it could; what is left is reported, never followed: the region comes from `x-amz-bucket-region`, the body's `Region`, or the
    /// body's `Endpoint` (`bucket.s3.REGION.amazonaws.com`); the target is shown redacted.
    private func redirect(_ response: HTTPResponse, tree: XMLTree?, code: String) -> StorageError {
        let endpointText = tree?.text("Endpoint")
        let candidates = [
            response.header("x-amz-bucket-region"), tree?.text("Region"),
            endpointText.flatMap(Self.region(inEndpoint:)),
        ]
        let region = candidates.compactMap { $0 }.first { Self.isRegionName($0) }
        let target = response.header("location") ?? endpointText
        return .redirected(
            bucket: bucket, status: response.status, code: code.hasPrefix("HTTP") ? "" : code,
            region: region, redirect: target.map { Redaction.text($0, secrets: secrets) },
            signedFor: self.region)
    }

    /// `eu-west-1` from `bucket.s3.eu-west-1.amazonaws.com` or `s3-eu-west-1.amazonaws.com`.
    static func region(inEndpoint endpoint: String) -> String? {
        let host = endpoint.split(separator: "/").first { $0.contains(".amazonaws.com") }.map(String.init) ?? endpoint
        let labels = host.lowercased().split(separator: ".")
        guard let s3 = labels.lastIndex(where: { $0 == "s3" || $0.hasPrefix("s3-") }) else { return nil }
        if labels[s3].hasPrefix("s3-") { return String(labels[s3].dropFirst(3)) }
        var next = labels.index(after: s3)
        if next < labels.endIndex, labels[next] == "dualstack" { next = labels.index(after: next) }
        guard next < labels.endIndex, labels[next] != "amazonaws" else { return nil }
        return String(labels[next])
    }

    /// Whether `text` is shaped like an AWS region (`us-east-1`, `cn-north-1`, `us-gov-west-1`): nothing else
    /// a server says is put in a message as a setting to copy.
    static func isRegionName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 32 && text.contains("-")
            && text.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    private func inert(_ text: String) -> String { ServerText.inert(text, secrets: secrets) }

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
        if response.status == 400, let tree = XMLTree.parse(response.body), tree.text("Code") == "RequestTimeout" {
            return true
        }
        return false
    }
}
