import Foundation

/// What identifies an artifact's content. Written as text in records and keys, in one of four forms:
/// `sha256:HEX` (the bytes hashed, for every file the runner makes or reads locally), `md5:HEX` (an S3 object's
/// plain ETag), `etag:TEXT` (a multipart upload's ETag: fixed for one upload) and `size:N` (an S3 object without an
/// ETag: only its size is known).
public enum ContentDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// SHA-256 of the bytes, as lower-case hex.
    case sha256(String)
    /// MD5 of the bytes, from a plain S3 ETag, as lower-case hex.
    case md5(String)
    /// An S3 ETag that is not an MD5 (a multipart upload's).
    case etag(String)
    /// Only the size is known.
    case size(Int64)

    /// Why a text is not a digest.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text, escaped.
        public let text: String

        public var description: String {
            "\(text) is not a content digest; it must be sha256:HEX, md5:HEX, etag:TEXT or size:BYTES"
        }
    }

    /// Parses one of the four forms.
    public init(parsing text: String) throws(ParseError) {
        if let hex = Self.value(of: "sha256:", in: text) {
            self = .sha256(hex)
        } else if let hex = Self.value(of: "md5:", in: text) {
            self = .md5(hex)
        } else if let tag = Self.value(of: "etag:", in: text) {
            self = .etag(tag)
        } else if let size = Self.value(of: "size:", in: text).flatMap({ Int64($0) }), size >= 0 {
            self = .size(size)
        } else {
            throw ParseError(text: String(text.prefix(80)).debugDescription)
        }
    }

    /// A digest of an S3 object from its listing: `md5:HEX` for a plain ETag, `etag:TEXT` for a multipart one,
    /// `size:N` when there is none.
    public init(etag: String?, size: Int64) {
        let text = (etag ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if text.count == 32, text.allSatisfy(\.isHexDigit) {
            self = .md5(text.lowercased())
        } else {
            self = text.isEmpty ? .size(size) : .etag(text)
        }
    }

    /// The SHA-256 hex digits, when this is a SHA-256 digest.
    public var sha256Hex: String? {
        if case .sha256(let hex) = self { return hex }
        return nil
    }

    /// The text form (`sha256:HEX`...), as records and keys hold it.
    public var description: String {
        switch self {
        case .sha256(let hex): return "sha256:" + hex
        case .md5(let hex): return "md5:" + hex
        case .etag(let tag): return "etag:" + tag
        case .size(let size): return "size:\(size)"
        }
    }

    /// Reads the text form; text in none of the forms is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try ContentDigest(parsing: try container.decode(String.self))
        } catch let error as ParseError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Writes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func value(of prefix: String, in text: String) -> String? {
        text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : nil
    }
}
