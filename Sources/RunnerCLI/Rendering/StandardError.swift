import ArgumentParser
import Foundation

/// Text written at once to standard error (progress never waits for a buffer to fill).
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints `error: MESSAGE` and gives the exit code that ends the command with `status`.
    static func fail(_ message: String, status: Int32) -> ExitCode {
        write("error: \(message)\n")
        return ExitCode(status)
    }
}
