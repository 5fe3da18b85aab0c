/// How serious a problem is: an error makes the manifest invalid, a warning does not.
public enum Severity: String, Sendable, Codable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One problem found in a manifest, at a position, as a sentence a user can act on.
///
/// Messages quote the manifest's text (keys, values, stage names), which is untrusted: a newline and `::error` in a
/// key would forge a GitHub annotation, an escape sequence would rewrite the terminal. So the message is made inert
/// (`InertText.escaped`) once, here, and every format prints it as it is.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public let severity: Severity
    public let position: SourcePosition
    public let message: String

    public init(_ severity: Severity, at position: SourcePosition, _ message: String) {
        self.severity = severity
        self.position = position
        self.message = InertText.escaped(message)
    }

    /// `FILE:LINE:COL: error: message`.
    public var description: String { "\(InertText.escaped(position.description)): \(severity.rawValue): \(message)" }
}

/// The problems found in one pass, in the order they were found.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    /// Records an error.
    public mutating func error(_ message: String, at position: SourcePosition) {
        all.append(Diagnostic(.error, at: position, message))
    }

    /// Records a warning.
    public mutating func warning(_ message: String, at position: SourcePosition) {
        all.append(Diagnostic(.warning, at: position, message))
    }

    /// Adds problems found elsewhere.
    public mutating func append(contentsOf other: [Diagnostic]) {
        all.append(contentsOf: other)
    }

    /// Whether any error was found.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// The problems sorted by position, errors first at the same position, without repeats.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.filter { seen.insert($0).inserted }.sorted {
            ($0.position, $0.severity) < ($1.position, $1.severity)
        }
    }
}
