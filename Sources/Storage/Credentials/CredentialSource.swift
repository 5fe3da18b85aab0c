/// One place credentials can come from. The chain asks each in turn; container and instance
/// metadata sources are later additions of this protocol, not changes to the chain.
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

    /// The AWS CLI's order: environment variables, then the shared credentials and config files.
    public static func standard(environment: [String: String], profile: String?) -> CredentialChain {
        CredentialChain([
            EnvironmentCredentialSource(environment: environment),
            SharedFileCredentialSource(files: AWSSharedFiles(environment: environment), profile: profile),
        ])
    }

    /// The first credentials found, or `.noCredentials` naming every source tried.
    public func resolve() async throws(StorageError) -> AWSCredentials {
        for source in sources {
            if let found = try await source.credentials() { return found }
        }
        throw .noCredentials(tried: sources.map(\.name))
    }
}
