import Foundation
import Manifest

/// A role assumed with an OIDC token through STS `AssumeRoleWithWebIdentity` (EKS's IAM roles for service
/// accounts, GitHub Actions' OIDC): the profile's `role_arn` and `web_identity_token_file`, else
/// `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`; the session name from `role_session_name` or
/// `AWS_ROLE_SESSION_NAME`. The token file is read at each fetch, since its writer rotates it.
public struct WebIdentityCredentialSource: CredentialSource {
    let environment: [String: String]
    let files: AWSSharedFiles
    let profile: String
    /// Whether `AWS_ROLE_ARN` / `AWS_WEB_IDENTITY_TOKEN_FILE` count (not for a role's source profile).
    let useEnvironment: Bool
    let secrets: SecretValues

    /// The web identity of `profile`, falling back on the environment's when `useEnvironment`.
    public init(
        environment: [String: String], files: AWSSharedFiles, profile: String, useEnvironment: Bool = true,
        secrets: SecretValues? = nil
    ) {
        self.environment = environment
        self.files = files
        self.profile = profile
        self.useEnvironment = useEnvironment
        self.secrets = secrets ?? SecretValues(environment: environment)
    }

    public var name: String {
        "a web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or the profile's web_identity_token_file)"
    }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let section = files.profile(profile) ?? [:]
        let fromProfile = nonEmpty(section["web_identity_token_file"]) != nil
        let tokenFile =
            nonEmpty(section["web_identity_token_file"])
            ?? (useEnvironment ? nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"]) : nil)
        let role =
            (fromProfile ? nonEmpty(section["role_arn"]) : nil)
            ?? (useEnvironment ? nonEmpty(environment["AWS_ROLE_ARN"]) : nil)
        guard let tokenFile else { return nil }
        let origin = fromProfile ? "web_identity_token_file of profile \(profile)" : "AWS_WEB_IDENTITY_TOKEN_FILE"
        guard let role else {
            throw .credentialSource(
                origin: origin,
                reason: "a web identity token file is set but no role: set AWS_ROLE_ARN (or the profile's role_arn)")
        }
        let path = AWSSharedFiles.expand(tokenFile, home: files.home) ?? tokenFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .credentialSource(origin: origin, reason: "the token file \(InertText.escaped(path)) cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let sessionName =
            nonEmpty(section["role_session_name"]) ?? nonEmpty(environment["AWS_ROLE_SESSION_NAME"])
            ?? "runner-\(Int(Date().timeIntervalSince1970))"
        let sts = try STSClient.configured(environment: environment, files: files, profile: profile, secrets: secrets)
        return try await sts.assumeRoleWithWebIdentity(
            role, sessionName: sessionName, token: Secret(token),
            origin: "role \(InertText.escaped(role)) assumed with the web identity in \(origin)")
    }
}
