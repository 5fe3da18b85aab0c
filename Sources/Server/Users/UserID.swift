import Stages

/// A user's name as the original API passes it (`userId`): it becomes one path segment of S3 keys
/// (`reference-frames/{userId}/`), so it is held to a plain name. Anything that could leave the user's own prefix
/// (`/`, `..`, `\`), hide in a log (control characters) or be confused with another name (spaces, `%`) is refused.
public struct UserID: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The checked name.
    public let value: String

    /// The longest name accepted, in bytes.
    public static let maximumLength = 64

    /// Why a user id was refused; the text names the fix.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        case character(Character)
        case dots
        case reserved(String)

        public var description: String {
            switch self {
            case .reserved(let suffix):
                return "the user id may not end in '\(suffix)': the runner names its own folders so "
                    + "(a user `alice\(suffix)` would reach alice's prepared frames); use another name"
            case .empty: return "the user id is empty; give a name such as alice"
            case .tooLong(let count):
                return "the user id is \(count) bytes long; use at most \(UserID.maximumLength)"
            case .character(let character):
                let shown = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
                return "the user id contains \(shown.joined(separator: " ")), which is not allowed; "
                    + "use letters, digits, '-', '_', '.' and '@' only"
            case .dots: return "the user id may not start with '.'; use a plain name such as alice"
            }
        }
    }

    /// Checks `text`: 1 to 64 ASCII letters, digits, `-`, `_`, `.`, `@`, not starting with `.`.
    public init(_ text: String) throws(Problem) {
        guard !text.isEmpty else { throw .empty }
        guard text.utf8.count <= Self.maximumLength else { throw .tooLong(text.utf8.count) }
        for character in text where !Self.allowed(character) { throw .character(character) }
        guard !text.hasPrefix(".") else { throw .dots }
        // `video-clips/alice/`'s prepared frames are in `video-clips/alice.prepared/`: a folder of its own for a
        // user of that name. The suffix is the runner's, whatever its case (S3 keys are case-sensitive, some disks not).
        guard !text.lowercased().hasSuffix(PreparedFrames.folderSuffix) else {
            throw .reserved(PreparedFrames.folderSuffix)
        }
        value = text
    }

    static func allowed(_ character: Character) -> Bool {
        guard character.isASCII, let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "@"): return true
        default: return false
        }
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
