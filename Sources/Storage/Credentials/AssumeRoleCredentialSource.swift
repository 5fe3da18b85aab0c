import Foundation
import Manifest

/// A profile's `role_arn`, assumed through STS `AssumeRole` with the credentials of its `source_profile` (whose own
/// keys, process, SSO login or role are used, as the AWS CLI chains them) or of its `credential_source`
/// (`Environment`, `EcsContainer`, `Ec2InstanceMetadata`). `external_id`, `role_session_name` and
/// `duration_seconds` are passed on. A profile with `web_identity_token_file` is `WebIdentityCredentialSource`'s.
public struct AssumeRoleCredentialSource: CredentialSource {
    let environment: [String: String]
    let files: AWSSharedFiles
    let profile: String
    let secrets: SecretValues
    /// Profiles already on the way here, so a cycle of `source_profile`s is reported instead of followed forever.
    let visited: [String]

    /// The role of `profile`.
    public init(
        environment: [String: String], files: AWSSharedFiles, profile: String, secrets: SecretValues? = nil,
        visited: [String] = []
    ) {
        self.environment = environment
        self.files = files
        self.profile = profile
        self.secrets = secrets ?? SecretValues(environment: environment)
        self.visited = visited
    }

    public var name: String { "role_arn of profile \(profile) (STS AssumeRole)" }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        guard let section = files.profile(profile), let role = nonEmpty(section["role_arn"]),
            nonEmpty(section["web_identity_token_file"]) == nil
        else { return nil }
        let origin = "role \(InertText.escaped(role)) of profile \(profile)"
        let sourceCredentials: AWSCredentials
        if let sourceProfile = nonEmpty(section["source_profile"]) {
            if visited.contains(sourceProfile) || visited.count > 8 {
                throw .credentialSource(
                    origin: origin,
                    reason:
                        "its source_profile chain loops (\((visited + [profile, sourceProfile]).joined(separator: " -> "))); "
                        + "end it with a profile that has keys")
            }
            guard files.profile(sourceProfile) != nil else {
                throw .credentialSource(
                    origin: origin,
                    reason:
                        "its source_profile \(sourceProfile) is in neither \(files.credentialsPath) nor \(files.configPath)"
                )
            }
            // A profile that is its own source uses its own keys; any other source profile is resolved fully.
            let chain = CredentialChain(
                sourceProfile == profile
                    ? [SharedFileCredentialSource(files: files, profile: profile)]
                    : CredentialChain.profileSources(
                        sourceProfile, environment: environment, files: files, secrets: secrets,
                        useEnvironment: false, visited: visited + [profile]))
            sourceCredentials = try await chain.resolve()
        } else if let named = nonEmpty(section["credential_source"]) {
            let source: any CredentialSource
            switch named {
            case "Environment": source = EnvironmentCredentialSource(environment: environment)
            case "EcsContainer": source = ContainerCredentialSource(environment: environment, secrets: secrets)
            case "Ec2InstanceMetadata":
                source = InstanceMetadataCredentialSource(
                    environment: environment, profileSettings: section, secrets: secrets)
            default:
                throw .credentialSource(
                    origin: origin,
                    reason:
                        "credential_source \(InertText.escaped(named)) is not one of Environment, EcsContainer, Ec2InstanceMetadata"
                )
            }
            guard let found = try await source.credentials() else {
                throw .credentialSource(origin: origin, reason: "its credential_source \(named) has no credentials")
            }
            sourceCredentials = found
        } else {
            throw .credentialSource(
                origin: origin,
                reason: "role_arn needs source_profile or credential_source (or web_identity_token_file)")
        }
        let sts = try STSClient.configured(environment: environment, files: files, profile: profile, secrets: secrets)
        return try await sts.assumeRole(
            role, sessionName: nonEmpty(section["role_session_name"]) ?? "runner-\(Int(Date().timeIntervalSince1970))",
            externalID: nonEmpty(section["external_id"]),
            durationSeconds: section["duration_seconds"].flatMap(Int.init),
            source: sourceCredentials, origin: origin)
    }
}
