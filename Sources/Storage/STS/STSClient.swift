import Foundation
import Manifest

/// The two STS calls the credential chain makes, spoken directly over HTTP as the S3 client is:
/// `AssumeRole` (signed with the source credentials) and `AssumeRoleWithWebIdentity` (unsigned: the web identity
/// token is the proof). The endpoint is the trusted side's (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the config
/// files) or STS's regional endpoint, `https://sts.REGION.amazonaws.com`.
public struct STSClient: Sendable {
    /// The base URL requests go to.
    public let endpoint: URL
    /// The region signatures are scoped to.
    public let region: String
    /// Kept out of every message (the caller's, plus the credentials in play).
    let secrets: SecretValues

    /// A client for `endpoint` (nil: STS's regional AWS endpoint for `region`).
    public init(endpoint: URL?, region: String, secrets: SecretValues) {
        self.region = region
        self.secrets = secrets
        // STS's regional endpoints answer for every partition's commercial regions the SDKs use by default now.
        self.endpoint = endpoint ?? URL(string: "https://sts.\(region).amazonaws.com") ?? URL(fileURLWithPath: "/")
    }

    /// The client the profile's settings and the environment give, as the AWS CLI builds it.
    static func configured(
        environment: [String: String], files: AWSSharedFiles, profile: String,
        secrets: SecretValues
    ) throws(StorageError) -> STSClient {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let region =
            nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
            ?? nonEmpty(files.profile(profile)?["region"]) ?? "us-east-1"
        var url: URL?
        if let configured = ConfiguredEndpoint.find(
            service: "sts", environment: environment, files: files, profile: profile)
        {
            guard let parsed = URL(string: configured.text),
                ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            else {
                throw .invalidEndpoint(Redaction.text(configured.text, secrets: secrets), source: configured.source)
            }
            url = parsed
        }
        return STSClient(endpoint: url, region: region, secrets: secrets)
    }

    /// `AssumeRole` for `roleARN`, signed with `source`.
    public func assumeRole(
        _ roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil,
        source: AWSCredentials, origin: String
    ) async throws(StorageError) -> AWSCredentials {
        var form: [(String, String)] = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName),
        ]
        if let externalID { form.append(("ExternalId", externalID)) }
        if let durationSeconds { form.append(("DurationSeconds", String(durationSeconds))) }
        return try await call("AssumeRole", form: form, signedWith: source, origin: origin)
    }

    /// `AssumeRoleWithWebIdentity` for `roleARN` with an OIDC token (EKS's service account token, GitHub's).
    public func assumeRoleWithWebIdentity(
        _ roleARN: String, sessionName: String, token: Secret,
        origin: String
    ) async throws(StorageError) -> AWSCredentials {
        let form: [(String, String)] = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token.revealed()),
        ]
        return try await call(
            "AssumeRoleWithWebIdentity", form: form, signedWith: nil,
            origin: origin, extraSecrets: [token])
    }

    private func call(
        _ action: String, form: [(String, String)], signedWith source: AWSCredentials?, origin: String,
        extraSecrets: [Secret] = []
    ) async throws(StorageError) -> AWSCredentials {
        let secrets = self.secrets.adding(extraSecrets + (source?.secretValues ?? []))
        let body = Data(form.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&").utf8)
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let request = HTTPRequest(
            method: "POST", url: endpoint,
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], timeout: 30)
        let where_ = "STS \(action) at \(Redaction.url(endpoint, secrets: secrets))"
        var prepare: HTTPClient.Prepare?
        if let source {
            let payloadHash: String
            do throws(DigestError) { payloadHash = try SHA256Digest.hex(of: body) } catch {
                throw .crypto(error.description)
            }
            let signer = SigV4Signer(credentials: source, region: region, service: "sts")
            let host = endpoint.port.map { "\(endpoint.host ?? ""):\($0)" } ?? (endpoint.host ?? "")
            prepare = { (request: inout HTTPRequest) throws(HTTPError) in
                let signatureHeaders: Set<String> = [
                    "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
                ]
                request.headers.removeAll { signatureHeaders.contains($0.name.lowercased()) }
                let signable = SigV4Request(
                    method: "POST", encodedPath: path, query: [],
                    headers: request.headers + [("host", host)], payloadHash: payloadHash)
                do throws(DigestError) {
                    request.headers += try signer.signingHeaders(for: signable, at: Date())
                } catch {
                    throw .preparation(error.description)
                }
            }
        }
        let response: HTTPResponse
        do throws(HTTPError) {
            response = try await HTTPClient(secrets: secrets).send(request, body: .data(body), prepare: prepare)
        } catch {
            throw .credentialSource(origin: origin, reason: "\(where_) could not be reached: \(error.description)")
        }
        let tree = XMLTree.parse(response.body)
        guard response.isSuccess else {
            let error = tree?.child("Error") ?? tree
            let code = ServerText.inert(error?.text("Code") ?? "HTTP\(response.status)", secrets: secrets)
            let message = ServerText.inert(error?.text("Message") ?? "", secrets: secrets)
            throw .credentialSource(
                origin: origin,
                reason: "\(where_) answered HTTP \(response.status) \(code)"
                    + (message.isEmpty ? "" : ": \(message)") + "; \(Self.fix(code: code, action: action))")
        }
        guard let credentials = tree?.child("\(action)Result")?.child("Credentials"),
            let keyID = credentials.text("AccessKeyId"), let secret = credentials.text("SecretAccessKey"),
            let token = credentials.text("SessionToken")
        else {
            throw .credentialSource(
                origin: origin, reason: "\(where_) answered without credentials; check the endpoint is STS")
        }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: Secret(token), origin: origin,
            expiration: credentials.text("Expiration").flatMap(HTTPDates.iso8601))
    }

    static func fix(code: String, action: String) -> String {
        switch code {
        case "AccessDenied":
            return
                "check the role's trust policy allows this caller to \(action == "AssumeRole" ? "assume it" : "assume it with this token's issuer and audience")"
        case "InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim":
            return "check the token file holds a current token from an identity provider the role trusts"
        case "InvalidClientTokenId", "SignatureDoesNotMatch":
            return "check the source profile's keys"
        default:
            return "check the role ARN and the source of its credentials"
        }
    }

    /// `application/x-www-form-urlencoded` as STS reads it: unreserved characters kept, everything else %XX.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
