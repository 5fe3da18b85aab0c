/// What a manifest is read with, besides its text: the trusted side's inputs (docs/security.md).
public struct ManifestOptions: Sendable {
    /// `--var NAME=VALUE` overrides, in the order given.
    public var variables: [(String, String)]
    /// The environment `${env:NAME}` reads.
    public var environment: [String: String]
    /// When true an unset `${env:NAME}` is an error (apply), otherwise a warning (validate).
    public var requireEnvironment: Bool
    /// Hosts a manifest-written endpoint may send credentials to (`RUNNER_TRUSTED_HOSTS`, `--trust-host`).
    public var trustedHosts: TrustedHosts
    /// The secret values of the environment (`RUNNER_SECRET_ENV`, `--secret-env` and the credential names).
    public var secrets: SecretValues

    public init(
        variables: [(String, String)] = [], environment: [String: String] = [:], requireEnvironment: Bool = false,
        trustedHosts: TrustedHosts? = nil, secrets: SecretValues? = nil
    ) {
        self.variables = variables
        self.environment = environment
        self.requireEnvironment = requireEnvironment
        self.trustedHosts = trustedHosts ?? TrustedHosts(environment: environment)
        self.secrets = secrets ?? SecretValues(environment: environment)
    }
}
