import ArgumentParser
import Foundation
import Manifest

/// Options of the commands that run a manifest: the file and `--var`.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The manifest.")
    var file: String

    @OptionGroup var manifest: ManifestOptionGroup

    /// The validated pipeline; the manifest's problems go to standard error, and errors end the
    /// command with exit status 2 (as `runner validate` reports them).
    func load() throws -> Pipeline {
        let result = ManifestLoader.load(path: file, options: try manifest.manifestOptions(requireEnvironment: false))
        if !result.diagnostics.isEmpty {
            StandardError.write(DiagnosticRenderer.render([result], as: .text))
        }
        guard let pipeline = result.pipeline, !result.hasErrors else { throw ExitCode(ExitStatus.invalidInput) }
        return pipeline
    }
}

/// Ends a command on an error from the work: the sentence on standard error, exit status 1.
func workFailure(_ error: any Error) -> ExitCode {
    StandardError.fail("\(error)", status: ExitStatus.failure)
}
