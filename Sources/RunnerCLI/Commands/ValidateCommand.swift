import ArgumentParser
import Manifest

/// `runner validate FILE...`: check manifests offline; exit 2 when any has an error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests: syntax, keys, types, models, variables and the stage graph. Offline.",
        discussion: """
            Every problem is reported in one pass as FILE:LINE:COL: error|warning: message.
            Exit status: 0 when every manifest is valid, 2 when any has an error.
            An unset ${env:NAME} is a warning here (an error with --require-env, and at apply).
            It makes no network request and prints no environment value: messages name the reference (${env:NAME}).
            The manifest is untrusted: an endpoint it writes (s3.endpoint, a provider's baseURL) must be on a host
            allowed by --trust-host or RUNNER_TRUSTED_HOSTS (or a service's public endpoint), and a secret
            (credential variables, --secret-env or RUNNER_SECRET_ENV names) may feed only an apiKey or webhookSecret.

            Examples:
              runner validate pipeline.yaml
              runner validate --format github examples/pipelines/*.yaml
              runner validate pipeline.yaml --var user=alice --require-env
              runner validate pipeline.yaml --trust-host 127.0.0.1:9000 --secret-env DEPLOY_TOKEN
            """
    )

    @Argument(help: "The manifests to check.")
    var files: [String]

    @Option(help: "Output format: text, json or github (workflow annotations).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat an unset environment variable as an error.")
    var requireEnv = false

    @OptionGroup var manifest: ManifestOptionGroup

    func run() throws {
        let options = try manifest.manifestOptions(requireEnvironment: requireEnv)
        let results = files.map { ManifestLoader.load(path: $0, options: options) }
        print(DiagnosticRenderer.render(results, as: format), terminator: "")
        if results.contains(where: \.hasErrors) { throw ExitCode(ExitStatus.invalidInput) }
    }
}
