/// An H.264 decoder configuration record (`avcC`, ISO/IEC 14496-15 5.3.3): the parameter sets an MP4 track's
/// samples refer to, and the byte length of the NAL unit sizes in its samples. A record may hold several
/// sequence and picture parameter sets, told apart by their ids: a join merge adds its encoder's sets (with ids
/// the clips do not use) beside the clips' own, so copied and re-encoded pictures decode from one record.
struct AVCConfiguration: Equatable {
    /// configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication.
    var profileBytes: [UInt8]
    /// Bytes before each NAL unit in a sample (1, 2 or 4).
    var lengthSize: Int
    var sequenceParameterSets: [[UInt8]]
    var pictureParameterSets: [[UInt8]]
    /// What follows the picture parameter sets (the chroma format and bit depths of High profiles), kept as is.
    var trailer: [UInt8]

    /// Parses a record, or nil when `bytes` is not one (e.g. Annex B parameter sets).
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 7, bytes[0] == 1 else { return nil }
        profileBytes = Array(bytes[0..<4])
        lengthSize = Int(bytes[4] & 3) + 1
        guard lengthSize != 3 else { return nil }
        var at = 5
        func sets() -> [[UInt8]]? {
            guard at < bytes.count else { return nil }
            let count = Int(bytes[at] & (at == 5 ? 31 : 255))
            at += 1
            var found: [[UInt8]] = []
            for _ in 0..<count {
                guard at + 2 <= bytes.count else { return nil }
                let length = Int(bytes[at]) << 8 | Int(bytes[at + 1])
                at += 2
                guard at + length <= bytes.count else { return nil }
                found.append(Array(bytes[at..<at + length]))
                at += length
            }
            return found
        }
        guard let sequenceSets = sets(), let pictureSets = sets() else { return nil }
        sequenceParameterSets = sequenceSets
        pictureParameterSets = pictureSets
        trailer = Array(bytes[at...])
    }

    /// The record's bytes.
    var bytes: [UInt8] {
        var out = profileBytes
        out.append(0xFC | UInt8(lengthSize - 1))
        out.append(0xE0 | UInt8(sequenceParameterSets.count))
        for set in sequenceParameterSets { out += [UInt8(set.count >> 8), UInt8(set.count & 0xFF)] + set }
        out.append(UInt8(pictureParameterSets.count))
        for set in pictureParameterSets { out += [UInt8(set.count >> 8), UInt8(set.count & 0xFF)] + set }
        return out + trailer
    }

    /// The ids of the sequence and picture parameter sets held.
    var usedIDs: Set<Int> {
        Set(
            sequenceParameterSets.compactMap(H264Units.parameterSetID)
                + pictureParameterSets.compactMap(H264Units.parameterSetID))
    }
}

/// NAL units of H.264 samples and parameter sets: splitting Annex B and length-prefixed streams, and reading the
/// ids of parameter sets (H.264 7.3.2.1, 7.3.2.2).
enum H264Units {
    static let sequenceParameterSet = 7
    static let pictureParameterSet = 8
    static let accessUnitDelimiter = 9
    static let idrSlice = 5

    /// The NAL units of an Annex B stream (split at 00 00 01 start codes; a leading zero byte is dropped).
    static func annexB(_ bytes: [UInt8]) -> [[UInt8]] {
        var units: [[UInt8]] = []
        var start: Int? = nil
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                if let start { units.append(trimmed(bytes[start..<i])) }
                i += 3
                start = i
            } else {
                i += 1
            }
        }
        if let start, start < bytes.count { units.append(Array(bytes[start...])) }
        return units.filter { !$0.isEmpty }
    }

    /// The NAL units of a sample whose units are preceded by `lengthSize`-byte sizes, or nil when the sizes do not add up.
    static func lengthPrefixed(_ bytes: UnsafeBufferPointer<UInt8>, lengthSize: Int) -> [Range<Int>]? {
        var units: [Range<Int>] = []
        var at = 0
        while at < bytes.count {
            guard at + lengthSize <= bytes.count else { return nil }
            var length = 0
            for k in 0..<lengthSize { length = length << 8 | Int(bytes[at + k]) }
            at += lengthSize
            guard length > 0, at + length <= bytes.count else { return nil }
            units.append(at..<at + length)
            at += length
        }
        return units
    }

    /// `units` each preceded by its size in `lengthSize` bytes; nil when one is too long for that size.
    static func prefixed(_ units: [[UInt8]], lengthSize: Int) -> [UInt8]? {
        var out: [UInt8] = []
        for unit in units {
            guard lengthSize == 4 || unit.count < 1 << (8 * lengthSize) else { return nil }
            for k in (0..<lengthSize).reversed() { out.append(UInt8(truncatingIfNeeded: unit.count >> (8 * k))) }
            out += unit
        }
        return out
    }

    /// The unit's type (its header's low five bits).
    static func type(_ unit: [UInt8]) -> Int { unit.first.map { Int($0 & 31) } ?? 0 }

    /// The id of a sequence or picture parameter set, or nil for other units.
    static func parameterSetID(_ unit: [UInt8]) -> Int? {
        switch type(unit) {
        case sequenceParameterSet:
            // profile_idc, constraint flags and level_idc come before seq_parameter_set_id.
            var reader = ExpGolombReader(rbsp(unit.dropFirst()), skippingBytes: 3)
            return reader.unsigned()
        case pictureParameterSet:
            var reader = ExpGolombReader(rbsp(unit.dropFirst()), skippingBytes: 0)
            return reader.unsigned()
        default:
            return nil
        }
    }

    /// The payload without emulation prevention bytes (00 00 03 -> 00 00).
    private static func rbsp(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var zeros = 0
        for byte in bytes {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        return out
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0 { end -= 1 }
        return Array(bytes[bytes.startIndex..<end])
    }
}

/// Reads unsigned Exp-Golomb numbers (H.264 9.1) from a byte string.
struct ExpGolombReader {
    private let bytes: [UInt8]
    private var bit: Int

    init(_ bytes: [UInt8], skippingBytes: Int) {
        self.bytes = bytes
        bit = skippingBytes * 8
    }

    /// The next ue(v), or nil past the end.
    mutating func unsigned() -> Int? {
        var zeros = 0
        while true {
            guard let b = next() else { return nil }
            if b == 1 { break }
            zeros += 1
            if zeros > 31 { return nil }
        }
        var value = 0
        for _ in 0..<zeros {
            guard let b = next() else { return nil }
            value = value << 1 | b
        }
        return (1 << zeros) - 1 + value
    }

    private mutating func next() -> Int? {
        guard bit / 8 < bytes.count else { return nil }
        defer { bit += 1 }
        return Int(bytes[bit / 8] >> (7 - UInt8(bit % 8))) & 1
    }
}
