/// A value that must never be printed: API keys, webhook secrets, AWS secret keys.
///
/// Its descriptions are redacted, it is not `Encodable`, and the only way to read it is
/// `revealed()`, which the code that puts it on the wire calls and nothing else.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    /// The secret itself, for the one place that sends it (an HTTP header, a signature).
    public func revealed() -> String { value }

    /// Whether the secret is empty (an unset variable).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
