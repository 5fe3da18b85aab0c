import Foundation
import Storage

/// A work item's key: the SHA-256 of everything that determines its output, so that equal inputs
/// give equal keys on any machine and any change of input gives a new key.
public struct ContentKey: Sendable, Equatable {
    /// 64 lower-case hex digits.
    public let hex: String
    /// The inputs the key was made from (never secrets), kept in records to say why an item must run again.
    public let inputs: [String: String]

    /// The key of `inputs`, under a `kind` that names the stage type and its output format's version.
    public init(kind: String, inputs: [String: String]) throws(DigestError) {
        var all = inputs
        all["kind"] = kind
        self.inputs = all
        // A canonical text: sorted names, each name and value quoted and escaped, so no two input sets collide.
        let text = all.keys.sorted().map { "\(Self.quoted($0))=\(Self.quoted(all[$0] ?? ""))" }.joined(separator: "\n")
        hex = try SHA256Digest.hex(of: Data(text.utf8))
    }

    /// The first 8 hex digits, for file names.
    public var short: String { String(hex.prefix(8)) }

    /// The names of the inputs that differ from `previous` (missing on either side counts), sorted.
    public static func changes(from previous: [String: String], to current: [String: String]) -> [String] {
        Set(previous.keys).union(current.keys).filter { previous[$0] != current[$0] }.sorted()
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
