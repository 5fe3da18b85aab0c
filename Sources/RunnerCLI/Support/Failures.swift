import ArgumentParser
import Foundation
import Media
import Storage

/// The exit statuses of every command, as docs/manifest.md lists them.
enum ExitStatus {
    static let success: Int32 = 0
    /// Something failed during work (a generation, an upload).
    static let failure: Int32 = 1
    /// Invalid input or usage: a bad manifest, flag or argument.
    static let invalidInput: Int32 = 2
    /// `plan --detailed-exitcode` with work pending.
    static let pendingWork: Int32 = 3
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT); the next run resumes.
    static let interrupted: Int32 = 130
}

// Every failure a command ends on, mapped to its exit status here. (A failure of the engine's work is mapped by
// `workFailure` beside the pipeline options it goes with, in Pipeline/PipelineLoading.swift: exit status 1.)

/// The exit status of an error that ended parsing or a command, and what to print for it (and where).
///
/// Usage errors (a `ValidationError` from a command's `validate()`, an unknown flag) exit 2, as the manifest
/// contract says, not ArgumentParser's 64. Help and `--version` are answers: they go to standard output.
func exitStatus<Root: ParsableCommand>(of error: any Error, in root: Root.Type) -> (
    status: Int32, message: String, toStandardOutput: Bool
) {
    let code = Root.exitCode(for: error)
    let status = code == .validationFailure ? ExitStatus.invalidInput : code.rawValue
    return (status, Root.fullMessage(for: error), code == .success)
}

/// Prints a Media error as a sentence and turns it into the documented exit status (2 for bad input, 1 otherwise).
func mediaFailure(_ error: MediaError) -> ExitCode {
    StandardError.fail(error.description, status: error.isInvalidInput ? ExitStatus.invalidInput : ExitStatus.failure)
}

/// Prints a storage error and gives the exit code for it: 2 for an endpoint the settings name wrongly, 1 otherwise.
func storageFailure(_ error: StorageError) -> ExitCode {
    if case .invalidEndpoint = error { return StandardError.fail(error.description, status: ExitStatus.invalidInput) }
    return StandardError.fail(error.description, status: ExitStatus.failure)
}

/// Prints a usage problem found while working (a location refused by its store) and gives exit status 2.
func storageUsageFailure(_ message: String) -> ExitCode {
    StandardError.fail(message, status: ExitStatus.invalidInput)
}
