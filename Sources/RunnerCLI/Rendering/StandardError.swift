import ArgumentParser
import Foundation

/// Text written at once to standard error (progress never waits for a buffer to fill).
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints `error: MESSAGE` (`FILE:LINE:COLUMN: error: REST` when the message starts at a place in a file, as
    /// `validate` lays its errors out, so that editors and CI annotations find it) and gives the exit code that ends
    /// the command with `status`.
    static func fail(_ message: String, status: Int32) -> ExitCode {
        if let (place, rest) = placed(message) {
            write("\(place): error: \(rest)\n")
        } else {
            write("error: \(message)\n")
        }
        return ExitCode(status)
    }

    /// `FILE:LINE:COLUMN` and the rest, when `message` starts with them.
    static func placed(_ message: String) -> (String, String)? {
        guard let separator = message.range(of: ": ") else { return nil }
        let place = message[..<separator.lowerBound]
        let parts = place.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, !place.contains("\n"),
            parts.suffix(2).allSatisfy({ !$0.isEmpty && $0.allSatisfy({ $0.isASCII && $0.isNumber }) })
        else { return nil }
        return (String(place), String(message[separator.upperBound...]))
    }
}
