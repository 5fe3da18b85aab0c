import Manifest

/// One place credentials can come from. The chain asks each in turn.
public protocol CredentialSource: Sendable {
    /// What this source reads, for the "no credentials" message.
    var name: String { get }
    /// The credentials this source holds, or nil when it holds none (so the next source is asked).
    func credentials() async throws(StorageError) -> AWSCredentials?
}

/// Credential sources asked in order, as the AWS CLI does; the first that has credentials wins.
public struct CredentialChain: Sendable {
    public let sources: [any CredentialSource]

    /// A chain over `sources`, first asked first.
    public init(_ sources: [any CredentialSource]) { self.sources = sources }

    /// The AWS CLI's order (docs/storage.md has it as a table beside the CLI's):
    ///
    /// 1. `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, unless `profile` is given: a profile
    ///    named on the command line or in the manifest (the CLI's `--profile`) beats the environment's keys, while
    ///    `AWS_PROFILE` does not;
    /// 2. the profile (`profile`, else `AWS_PROFILE`, else `default`): its `role_arn` (STS AssumeRole from
    ///    `source_profile` or `credential_source`), its or the environment's web identity (STS
    ///    AssumeRoleWithWebIdentity), its SSO login, its keys in the credentials file, its `credential_process`,
    ///    its keys in the config file;
    /// 3. the container credentials endpoint; 4. the EC2 instance metadata service (IMDSv2).
    public static func standard(environment: [String: String], profile: String?, secrets: SecretValues? = nil)
        -> CredentialChain
    {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let secrets = secrets ?? SecretValues(environment: environment)
        let files = AWSSharedFiles(environment: environment)
        let explicit = nonEmpty(profile)
        let name = explicit ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        var sources: [any CredentialSource] = []
        if explicit == nil { sources.append(EnvironmentCredentialSource(environment: environment)) }
        sources += profileSources(
            name, environment: environment, files: files, secrets: secrets, useEnvironment: true, visited: [])
        sources.append(ContainerCredentialSource(environment: environment, secrets: secrets))
        sources.append(
            InstanceMetadataCredentialSource(
                environment: environment, profileSettings: files.profile(name) ?? [:],
                secrets: secrets))
        return CredentialChain(sources)
    }

    /// What one profile can hold, in the AWS CLI's order (also for a role's `source_profile`).
    static func profileSources(
        _ profile: String, environment: [String: String], files: AWSSharedFiles, secrets: SecretValues,
        useEnvironment: Bool, visited: [String]
    ) -> [any CredentialSource] {
        [
            AssumeRoleCredentialSource(
                environment: environment, files: files, profile: profile, secrets: secrets, visited: visited),
            WebIdentityCredentialSource(
                environment: environment, files: files, profile: profile, useEnvironment: useEnvironment,
                secrets: secrets),
            SSOCredentialSource(environment: environment, files: files, profile: profile, secrets: secrets),
            SharedFileCredentialSource(files: files, profile: profile, only: .credentialsFile),
            ProfileProcessSource(files: files, profile: profile, secrets: secrets),
            SharedFileCredentialSource(files: files, profile: profile, only: .configFile),
        ]
    }

    /// The first credentials found, or `.noCredentials` naming every source tried.
    public func resolve() async throws(StorageError) -> AWSCredentials {
        for source in sources {
            if let found = try await source.credentials() { return found }
        }
        throw .noCredentials(tried: sources.map(\.name))
    }
}
