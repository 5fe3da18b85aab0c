import ArgumentParser
import Manifest

/// `runner validate FILE...`: check manifests offline; exit 2 when any has an error.
public struct ValidateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests: syntax, keys, types, models, variables and the stage graph. Offline.",
        discussion: """
            Every problem is reported in one pass as FILE:LINE:COL: error|warning: message.
            Exit status: 0 when every manifest is valid, 2 when any has an error.
            An unset ${env:NAME} is a warning here (an error with --require-env, and at apply).

            Examples:
              runner validate pipeline.yaml
              runner validate --format github examples/pipelines/*.yaml
              runner validate pipeline.yaml --var user=alice --require-env
            """
    )

    @Argument(help: "The manifests to check.")
    var files: [String]

    @Option(help: "Output format: text, json or github (workflow annotations).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat an unset environment variable as an error.")
    var requireEnv = false

    @OptionGroup var manifest: ManifestOptionGroup

    public init() {}

    public func run() throws {
        let options = try manifest.manifestOptions(requireEnvironment: requireEnv)
        let results = files.map { ManifestLoader.load(path: $0, options: options) }
        print(DiagnosticRenderer.render(results, as: format), terminator: "")
        if results.contains(where: \.hasErrors) { throw ExitCode(ExitStatus.invalidInput) }
    }
}
