/// What a manifest is read with, besides its text.
public struct ManifestOptions: Sendable {
    /// `--var NAME=VALUE` overrides, in the order given.
    public var variables: [(String, String)]
    /// The environment `${env:NAME}` reads.
    public var environment: [String: String]
    /// When true an unset `${env:NAME}` is an error (apply), otherwise a warning (validate).
    public var requireEnvironment: Bool

    public init(variables: [(String, String)] = [], environment: [String: String] = [:], requireEnvironment: Bool = false) {
        self.variables = variables
        self.environment = environment
        self.requireEnvironment = requireEnvironment
    }
}
