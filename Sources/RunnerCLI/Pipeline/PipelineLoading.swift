import ArgumentParser
import Foundation
import Manifest

/// Options of the commands that run a manifest: the file and `--var`.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The manifest (apply also takes a plan saved by `runner plan --out`).")
    var file: String

    @OptionGroup var manifest: ManifestOptionGroup

    /// The validated pipeline; the manifest's problems go to standard error, and errors end the
    /// command with exit status 2 (as `runner validate` reports them).
    ///
    /// `requireEnvironment`: an unset `${env:NAME}` is an error (apply, which sends what it reads) rather than a
    /// warning (plan and status, which read only, and need no API key).
    func load(requireEnvironment: Bool = false) throws -> Pipeline {
        try load(path: file, requireEnvironment: requireEnvironment)
    }

    /// `load(requireEnvironment:)` of the manifest at `path` (the one a saved plan names).
    func load(path: String, requireEnvironment: Bool = false) throws -> Pipeline {
        let result = ManifestLoader.load(
            path: path, options: try manifest.manifestOptions(requireEnvironment: requireEnvironment))
        if !result.diagnostics.isEmpty {
            StandardError.write(DiagnosticRenderer.render([result], as: .text))
        }
        guard let pipeline = result.pipeline, !result.hasErrors else { throw ExitCode(ExitStatus.invalidInput) }
        return pipeline
    }
}

extension PipelineOptions {
    /// The environment the engine reads: this process's, with `--trust-host` and `--secret-env` added to
    /// `RUNNER_TRUSTED_HOSTS` and `RUNNER_SECRET_ENV` (as those flags are documented to do), so that the checks made
    /// where settings become requests (an S3 endpoint, a Runway `baseURL`, a webhook target) see the same trust as
    /// the manifest's decoder (docs/security.md).
    func engineEnvironment() throws -> [String: String] {
        let options = try manifest.manifestOptions(requireEnvironment: false)
        var environment = options.environment
        if !options.trustedHosts.entries.isEmpty {
            environment[TrustedHosts.environmentVariable] = options.trustedHosts.entries.sorted().joined(separator: ",")
        }
        if !options.secrets.markedNames.isEmpty {
            environment[SecretValues.markVariable] = options.secrets.markedNames.sorted().joined(separator: ",")
        }
        return environment
    }
}

/// Ends a command on an error from the work: the sentence on standard error, exit status 1.
func workFailure(_ error: any Error) -> ExitCode {
    StandardError.fail("\(error)", status: ExitStatus.failure)
}
