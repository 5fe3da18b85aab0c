import COpenSSL
import Foundation
import Manifest

/// An SSO (IAM Identity Center) profile: `sso_session` (with its `[sso-session name]` section) or the legacy
/// `sso_start_url`, plus `sso_account_id` and `sso_role_name`. The login `aws sso login` left in
/// `~/.aws/sso/cache/<SHA-1 of the session name or start URL>.json` is read as the AWS CLI reads it, and the role's
/// credentials fetched from the SSO portal (`GetRoleCredentials`, at `https://portal.sso.REGION.amazonaws.com` or
/// `AWS_ENDPOINT_URL_SSO`). A missing or expired login is refused with what to run; the runner never opens a browser.
public struct SSOCredentialSource: CredentialSource {
    let environment: [String: String]
    let files: AWSSharedFiles
    let profile: String
    let secrets: SecretValues

    /// The SSO settings of `profile`.
    public init(environment: [String: String], files: AWSSharedFiles, profile: String, secrets: SecretValues? = nil) {
        self.environment = environment
        self.files = files
        self.profile = profile
        self.secrets = secrets ?? SecretValues(environment: environment)
    }

    public var name: String { "the SSO login of profile \(profile) (~/.aws/sso/cache)" }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        guard let section = files.profile(profile) else { return nil }
        let sessionName = nonEmpty(section["sso_session"])
        let session = sessionName.flatMap(files.ssoSession) ?? [:]
        guard sessionName != nil || nonEmpty(section["sso_start_url"]) != nil else { return nil }
        guard let cacheKey = sessionName ?? nonEmpty(section["sso_start_url"]),
            let region = nonEmpty(session["sso_region"]) ?? nonEmpty(section["sso_region"]),
            let account = nonEmpty(section["sso_account_id"]), let role = nonEmpty(section["sso_role_name"])
        else {
            throw .credentialSource(
                origin: name,
                reason: "the profile lacks sso_region, sso_account_id or sso_role_name; "
                    + "run `aws configure sso --profile \(profile)`")
        }
        let cacheFile = files.home + "/.aws/sso/cache/" + Self.sha1Hex(cacheKey) + ".json"
        guard let data = FileManager.default.contents(atPath: cacheFile) else {
            throw .ssoLoginNeeded(profile: profile, reason: "there is no login in \(cacheFile)")
        }
        struct CachedLogin: Decodable {
            let accessToken: String?
            let expiresAt: String?
        }
        guard let login = try? JSONDecoder().decode(CachedLogin.self, from: data),
            let token = nonEmpty(login.accessToken)
        else {
            throw .ssoLoginNeeded(profile: profile, reason: "\(cacheFile) holds no access token")
        }
        guard let expires = login.expiresAt.flatMap(HTTPDates.iso8601), expires > Date().addingTimeInterval(60) else {
            throw .ssoLoginNeeded(profile: profile, reason: "its login in \(cacheFile) has expired")
        }
        let secrets = self.secrets.adding([Secret(token)])
        let base =
            ConfiguredEndpoint.find(service: "sso", environment: environment, files: files, profile: profile)?.text
            ?? "https://portal.sso.\(region).amazonaws.com"
        let query = "role_name=\(STSClient.formEncoded(role))&account_id=\(STSClient.formEncoded(account))"
        guard
            let url = URL(
                string: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/federation/credentials?" + query)
        else {
            throw .credentialSource(
                origin: name, reason: "the SSO portal URL \(Redaction.text(base, secrets: secrets)) is not a URL")
        }
        let response: HTTPResponse
        do throws(HTTPError) {
            response = try await HTTPClient(secrets: secrets).send(
                HTTPRequest(method: "GET", url: url, headers: [("x-amz-sso_bearer_token", token)], timeout: 30))
        } catch {
            throw .credentialSource(origin: name, reason: "the SSO portal could not be reached: \(error.description)")
        }
        if response.status == 401 || response.status == 403 {
            throw .ssoLoginNeeded(
                profile: profile, reason: "the SSO portal refused its login (HTTP \(response.status))")
        }
        struct Answer: Decodable {
            struct Role: Decodable {
                let accessKeyId: String?
                let secretAccessKey: String?
                let sessionToken: String?
                let expiration: Double?
            }
            let roleCredentials: Role?
        }
        guard response.isSuccess, let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
            let found = answer.roleCredentials, let keyID = found.accessKeyId, let secret = found.secretAccessKey
        else {
            throw .credentialSource(
                origin: name,
                reason: "the SSO portal answered HTTP \(response.status) without role credentials; "
                    + "check sso_account_id and sso_role_name")
        }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: found.sessionToken.map(Secret.init),
            origin: "SSO role \(InertText.escaped(role)) of profile \(profile)",
            expiration: found.expiration.map { Date(timeIntervalSince1970: $0 / 1000) })
    }

    /// Lower-case hex SHA-1, the AWS CLI's cache file name.
    static func sha1Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha1(), nil)
        }
        return ok == 1 ? Hex.encode(digest.prefix(Int(length))) : ""
    }
}
