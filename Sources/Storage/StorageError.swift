import Manifest

/// Everything that can go wrong reading or writing objects, each as a sentence that says what to check.
///
/// Text a server wrote (S3's `Code` and `Message`, a redirect's region or endpoint) is scrubbed of the run's secret
/// values and has its control characters escaped where it enters (`ServerText`), so the payloads are safe to print,
/// store and send; the description escapes once more what the runner's own names carry (bucket names, keys).
public enum StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The object does not exist.
    case notFound(location: String)
    /// The bucket does not exist at the endpoint.
    case noSuchBucket(bucket: String, endpoint: String)
    /// The credentials may not do this.
    case accessDenied(location: String, credentials: String)
    /// The access key ID is unknown to the endpoint.
    case invalidAccessKey(accessKeyID: String, origin: String, endpoint: String)
    /// The server computed a different signature: usually a wrong secret key.
    case signatureMismatch(location: String, accessKeyID: String, origin: String)
    /// The machine's clock is too far from the server's.
    case clockSkew(location: String)
    /// Any other error the server answered.
    case server(location: String, status: Int, code: String, message: String)
    /// The server could not be reached or the connection failed, after retries.
    case transport(location: String, reason: String)
    /// A body was shorter or longer than announced.
    case lengthMismatch(location: String, expected: Int64, received: Int64)
    /// The server's answer could not be understood.
    case invalidResponse(location: String, reason: String)
    /// No credential source had credentials.
    case noCredentials(tried: [String])
    /// A source had half a key pair.
    case incompleteCredentials(origin: String, missing: String)
    /// An endpoint setting is not an http(s) URL (the value is shown redacted and scrubbed of secrets).
    case invalidEndpoint(String, source: String)
    /// An endpoint written in the manifest names a host the trusted side has not allowed to receive credentials.
    case untrustedEndpoint(field: String, host: String, port: Int?)
    /// An endpoint written in the manifest carries user information (`user:password@`), which it may never.
    case endpointWithUserInfo(field: String)
    /// The server answered a redirect (an S3 301 or 307 is a region answer), or a 400 AuthorizationHeaderMalformed
    /// naming the bucket's region: a redirect is not followed, since a signed request must never reach another origin. `region` and `redirect` are the server's (inert) words, when it gave them.
    case redirected(bucket: String, status: Int, code: String, region: String?, redirect: String?, signedFor: String)
    /// A credential source that applies (a profile's role, a web identity, a process, a container or instance
    /// endpoint) failed: `reason` says what was answered and what to check.
    case credentialSource(origin: String, reason: String)
    /// An SSO profile whose cached login is missing or expired.
    case ssoLoginNeeded(profile: String, reason: String)
    /// S3 refused an operation with a code the runner has no sentence of its own for; `fix` says what to check.
    case s3Refused(operation: String, location: String, status: Int, code: String, message: String, fix: String)
    /// A local file could not be read or written.
    case local(path: String, reason: String)
    /// libcrypto failed (a broken OpenSSL installation).
    case crypto(String)

    public var description: String { InertText.escaped(sentence) }

    private var sentence: String {
        switch self {
        case .notFound(let location):
            return "\(location) does not exist; check the key (names are case-sensitive) and the prefix"
        case .noSuchBucket(let bucket, let endpoint):
            return "bucket \(bucket) does not exist at \(endpoint); check the bucket name, the region and the endpoint"
        case .accessDenied(let location, let credentials):
            return
                "access to \(location) was denied for \(credentials); check the policy grants it, and that the bucket and key are right"
        case .invalidAccessKey(let keyID, let origin, let endpoint):
            return
                "\(endpoint) does not know the access key ID \(keyID) (from \(origin)); check AWS_ACCESS_KEY_ID or the profile, and that the endpoint is the one the key belongs to"
        case .signatureMismatch(let location, let keyID, let origin):
            return
                "the signature for \(location) was rejected (SignatureDoesNotMatch): the secret key from \(origin) does not belong to access key \(keyID); check AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key"
        case .clockSkew(let location):
            return
                "the request for \(location) was rejected because this machine's clock differs from the server's by more than 15 minutes (RequestTimeTooSkewed); correct the clock (e.g. enable NTP)"
        case .server(let location, let status, let code, let message):
            let detail = message.isEmpty ? "" : ": \(message)"
            return "the server refused \(location) with HTTP \(status) \(code)\(detail)"
        case .transport(let location, let reason):
            return "could not reach the server for \(location): \(reason); check the endpoint URL and the network"
        case .lengthMismatch(let location, let expected, let received):
            return
                "\(location) announced \(expected) bytes but \(received) arrived; the transfer was incomplete, try again"
        case .invalidResponse(let location, let reason):
            return
                "the server's answer for \(location) could not be understood (\(reason)); check the endpoint is an S3-compatible store"
        case .noCredentials(let tried):
            return
                "no AWS credentials found; tried \(tried.joined(separator: ", then ")). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile "
                + "(`s3.profile` in the manifest, or AWS_PROFILE) that has keys, a credential_process, a role_arn or an SSO login"
        case .incompleteCredentials(let origin, let missing):
            return "the credentials in \(origin) lack \(missing); set both the access key ID and the secret key"
        case .invalidEndpoint(let value, let source):
            return "the endpoint \"\(value)\" from \(source) is not an http:// or https:// URL"
        case .untrustedEndpoint(let field, let host, let port):
            let named = port.map { "\(host):\($0)" } ?? host
            return
                "`\(field)` names the host \(named), which the manifest may not send AWS credentials to: a manifest is "
                + "untrusted (docs/security.md); \(TrustedHosts.howToAllow(host: host, port: port)), or set the endpoint "
                + "outside the manifest (--endpoint-url, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL)"
        case .endpointWithUserInfo(let field):
            return
                "`\(field)` carries user information (user:password@), which an endpoint written in a manifest may not: "
                + "a manifest is untrusted (docs/security.md); remove it, and give credentials through the environment or the AWS config files"
        case .redirected(let bucket, let status, let code, let region, let redirect, let signedFor):
            let answer = "HTTP \(status)" + (code.isEmpty ? "" : " \(code)")
            let notFollowed = "the runner follows no redirect, so that a signed request never reaches another server"
            if let region, region == signedFor {
                // The runner already asked again, signed for the region S3 named, and was sent away once more.
                return
                    "the server for bucket \(bucket) still answered \(answer) when asked in region \(region), the region it "
                    + "named: this endpoint does not serve the bucket there; check the endpoint (AWS_ENDPOINT_URL_S3, "
                    + "AWS_ENDPOINT_URL, --endpoint-url or `s3.endpoint`) and `s3.region` / AWS_REGION"
                    + ((300..<400).contains(status) ? "; \(notFollowed)" : "")
            }
            if let region {
                return "bucket \(bucket) is in region \(region), not \(signedFor) (the server answered \(answer)); "
                    + "set `s3.region: \(region)` in the manifest or AWS_REGION=\(region)"
                    + ((300..<400).contains(status) ? "; \(notFollowed)" : "")
            }
            let target = redirect.map { " to \($0)" } ?? ""
            return "the server for bucket \(bucket) answered \(answer), a redirect\(target): the bucket is probably in "
                + "another region than \(signedFor); set `s3.region` in the manifest or AWS_REGION to the bucket's region "
                + "(`aws s3api get-bucket-location --bucket \(bucket)` tells it); \(notFollowed)"
        case .credentialSource(let origin, let reason):
            return "could not get AWS credentials from \(origin): \(reason)"
        case .ssoLoginNeeded(let profile, let reason):
            return
                "profile \(profile) signs in through AWS SSO (IAM Identity Center), and \(reason): run `aws sso login "
                + "--profile \(profile)` first, or export credentials with `eval \"$(aws configure export-credentials --profile "
                + "\(profile) --format env)\"`"
        case .s3Refused(let operation, let location, let status, let code, let message, let fix):
            let detail = message.isEmpty ? "" : " (\(message))"
            return "S3 refused \(operation) on \(location) with HTTP \(status) \(code)\(detail); \(fix)"
        case .local(let path, let reason):
            return "\(path): \(reason)"
        case .crypto(let reason):
            return "libcrypto failed (\(reason)); check the OpenSSL installation (libssl-dev)"
        }
    }
}
