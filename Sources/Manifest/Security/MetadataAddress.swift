/// Link-local and cloud metadata addresses, which a webhook may not target unless the trusted side allows the host
/// (docs/security.md).
///
/// A metadata service (AWS `169.254.169.254` and `fd00:ec2::254`, Alibaba `100.100.100.200`, Google
/// `metadata.google.internal`) hands out the machine's credentials to whoever asks from inside it; a manifest that
/// points the webhook there makes the runner ask. The check is pure: the manifest side calls it on the literal host
/// it reads, the sending side again on each address the name resolves to.
///
/// Literal IPv4 is read the way `inet_aton` and URL parsers read it, so `2852039166`, `0xa9fea9fe`,
/// `0251.0376.0251.0376` and `169.254.43518` are all `169.254.169.254`. IPv6 may be bracketed and carry a zone
/// (`[fe80::1%eth0]`); IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) and NAT64 (`64:ff9b::/96`)
/// forms are judged by the IPv4 address inside.
public enum MetadataAddress {
    /// Host names that resolve to a metadata service inside a cloud, compared without case or trailing dots.
    public static let forbiddenNames: Set<String> = [
        "metadata.google.internal", "metadata", "instance-data",
        "instance-data.ec2.internal",
    ]

    /// Whether `host` (a name, or a literal IPv4 or IPv6 address, bracketed or not) is a link-local or metadata
    /// address: 169.254.0.0/16, 100.100.100.200, fe80::/10, fd00:ec2::254, or one of `forbiddenNames`.
    public static func isForbidden(host: String) -> Bool {
        var text = host.lowercased()
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        if forbiddenNames.contains(text) { return true }
        if let bytes = ipv4Bytes(text) { return isForbidden(ipv4: bytes) }
        if let bytes = ipv6Bytes(text) { return isForbidden(ipv6: bytes) }
        return false
    }

    /// Whether the 4 bytes of an IPv4 address (network order) are link-local or a metadata address.
    public static func isForbidden(ipv4 bytes: [UInt8]) -> Bool {
        guard bytes.count == 4 else { return false }
        if bytes[0] == 169 && bytes[1] == 254 { return true }
        return bytes == [100, 100, 100, 200]
    }

    /// Whether the 16 bytes of an IPv6 address (network order) are link-local, a metadata address, or carry such
    /// an IPv4 address (mapped, compatible or NAT64).
    public static func isForbidden(ipv6 bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return false }
        if bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80 { return true }
        let ec2: [UInt8] = [0xFD, 0x00, 0x0E, 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54]
        if bytes == ec2 { return true }
        let tail = Array(bytes[12...])
        let zeros = bytes[0..<10].allSatisfy { $0 == 0 }
        let mapped = zeros && bytes[10] == 0xFF && bytes[11] == 0xFF
        let compatible = zeros && bytes[10] == 0 && bytes[11] == 0
        let nat64 = bytes[0..<12].elementsEqual([0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0])
        return (mapped || compatible || nat64) && isForbidden(ipv4: tail)
    }

    /// The bytes of a literal IPv4 address in any form `inet_aton` accepts (1 to 4 parts, each decimal, octal
    /// with a leading `0` or hexadecimal with `0x`; the last part fills the remaining bytes), or nil.
    public static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = ipv4Part(part) else { return nil }
            numbers.append(number)
        }
        guard let last = numbers.last else { return nil }
        var bytes: [UInt8] = []
        for number in numbers.dropLast() {
            guard number <= 0xFF else { return nil }
            bytes.append(UInt8(number))
        }
        let remaining = 4 - bytes.count
        guard last < (UInt64(1) << (8 * UInt64(remaining))) else { return nil }
        for shift in stride(from: remaining - 1, through: 0, by: -1) {
            bytes.append(UInt8((last >> (8 * UInt64(shift))) & 0xFF))
        }
        return bytes
    }

    /// The 16 bytes of a literal IPv6 address (zone removed; `::` and a dotted IPv4 tail allowed), or nil.
    public static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        guard text.contains(":"), text.count <= 64 else { return nil }
        var halves: [Substring] = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [text[..<gap.lowerBound], text[gap.upperBound...]]
            guard !halves[1].contains("::") else { return nil }
        }
        guard let head = groups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = groups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// The bytes of colon-separated hex groups, the last of which may be a dotted-decimal IPv4 address.
    private static func groups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(".") {
                let pieces = part.split(separator: ".", omittingEmptySubsequences: false)
                guard pieces.count == 4 else { return nil }
                for piece in pieces {
                    guard !piece.isEmpty, piece.count <= 3, piece.allSatisfy(\.isASCIIDigit),
                        let value = UInt8(piece)
                    else { return nil }
                    bytes.append(value)
                }
                continue
            }
            guard (1...4).contains(part.count), let value = UInt16(part, radix: 16) else { return nil }
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
        }
        return bytes.count <= 16 ? bytes : nil
    }

    /// One part of an `inet_aton` address: `0x1F` hexadecimal, `017` octal, `15` decimal.
    private static func ipv4Part(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 34 else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            if digits.isEmpty { return 0 }
            return digits.allSatisfy(\.isHexDigit) ? UInt64(digits, radix: 16) : nil
        }
        guard lower.allSatisfy(\.isASCIIDigit) else { return nil }
        if lower.count > 1 && lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower)
    }
}

extension Character {
    /// `0`...`9` only (`isNumber` also takes other scripts' digits).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
