/// The family name of a TrueType or OpenType font file (`DejaVu Sans`), read from its `name` table: libass picks a
/// font by family name, so a font file given for burned captions is named in the ASS style by what it says it is.
public enum FontFamilyName {
    /// The family (name ID 1) of the first font in `bytes` (a `.ttf`, `.otf`, or the first font of a `.ttc`): the
    /// Windows Unicode entry (US English first), else the Macintosh Roman one. Nil when the bytes are not such a font.
    public static func read(_ bytes: [UInt8]) -> String? {
        var font = 0
        if tag(bytes, at: 0) == "ttcf" {
            guard let first = u32(bytes, 12) else { return nil }
            font = Int(first)
        }
        guard let version = u32(bytes, font), [0x0001_0000, 0x4F54_544F, 0x7472_7565].contains(version),
            let tableCount = u16(bytes, font + 4)
        else { return nil }
        for index in 0..<Int(tableCount) {
            let record = font + 12 + 16 * index
            guard tag(bytes, at: record) == "name", let offset = u32(bytes, record + 8) else { continue }
            return family(in: bytes, table: Int(offset))
        }
        return nil
    }

    private static func family(in bytes: [UInt8], table: Int) -> String? {
        guard let count = u16(bytes, table + 2), let storage = u16(bytes, table + 4) else { return nil }
        var best: (rank: Int, name: String)?
        for index in 0..<Int(count) {
            let record = table + 6 + 12 * index
            guard let platform = u16(bytes, record), let encoding = u16(bytes, record + 2),
                let language = u16(bytes, record + 4), let nameID = u16(bytes, record + 6),
                let length = u16(bytes, record + 8), let offset = u16(bytes, record + 10), nameID == 1
            else { continue }
            let start = table + Int(storage) + Int(offset)
            guard start >= 0, start + Int(length) <= bytes.count else { continue }
            let raw = bytes[start..<(start + Int(length))]
            let name: String?
            let rank: Int
            if platform == 3, encoding == 1 || encoding == 10 {
                let units = stride(from: raw.startIndex, to: raw.endIndex - 1, by: 2).map {
                    UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1])
                }
                name = String(decoding: units, as: UTF16.self)
                rank = language == 0x409 ? 0 : 1
            } else if platform == 1, encoding == 0, raw.allSatisfy({ $0 < 0x80 }) {
                name = String(decoding: raw, as: UTF8.self)
                rank = 2
            } else {
                continue
            }
            if let name, !name.isEmpty, best.map({ rank < $0.rank }) ?? true { best = (rank, name) }
        }
        return best?.name
    }

    private static func tag(_ bytes: [UInt8], at offset: Int) -> String? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
    }

    private static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }
}
