/// Percent-encoding exactly as SigV4 wants it (RFC 3986: only `A-Za-z0-9-._~` stay as they are).
///
/// Foundation's encoders keep characters such as `+`, `=` or `(` that SigV4 requires encoded, so the
/// runner encodes URLs itself and builds them from this, which keeps the signed and the sent forms identical.
public enum SigV4Encoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `text` with every byte outside the unreserved set written `%XX`; `/` kept when `keepingSlashes`.
    public static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The path for an S3 key: `/` plus the key encoded once, segment by segment (S3 never double-encodes).
    public static func s3Path(bucketPrefix: String, key: String) -> String {
        bucketPrefix + "/" + encode(key, keepingSlashes: true)
    }

    /// Query items as SigV4's canonical query: each name and value encoded, sorted by name then value.
    public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        items
            .map { (encode($0.name), encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 != rhs.0
                    ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
                    : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
