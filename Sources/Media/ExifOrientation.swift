/// How a stored picture must be turned to be seen upright: EXIF's Orientation tag (274), values 1 to 8.
///
/// Phones store the sensor's pixels as shot and write this tag instead of turning them; viewers apply it.
/// JPEG carries it in the APP1 `Exif` segment, PNG in its `eXIf` chunk, WebP in its `EXIF` chunk and TIFF in its
/// first directory. HEIF says the same with its `irot`/`imir` properties, which libheif applies itself.
public enum ExifOrientation: Int, Sendable, Equatable, Codable {
    case up = 1, upMirrored = 2, down = 3, downMirrored = 4
    case leftMirrored = 5, right = 6, rightMirrored = 7, left = 8

    /// Whether width and height trade places when the picture is turned upright.
    public var swapsSides: Bool { rawValue >= 5 }

    /// Words for plan lines: "rotated 90° clockwise".
    public var phrase: String {
        switch self {
        case .up: return "upright"
        case .upMirrored: return "mirrored"
        case .down: return "upside down"
        case .downMirrored: return "upside down, mirrored"
        case .leftMirrored: return "turned, mirrored"
        case .right: return "to turn 90° clockwise"
        case .rightMirrored: return "turned, mirrored"
        case .left: return "to turn 90° counter-clockwise"
        }
    }

    /// The source pixel (x, y) shown at upright position (u, v), for a stored picture of `width` x `height`.
    @inline(__always)
    func source(u: Int, v: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: return (u, v)
        case .upMirrored: return (width - 1 - u, v)
        case .down: return (width - 1 - u, height - 1 - v)
        case .downMirrored: return (u, height - 1 - v)
        case .leftMirrored: return (v, u)
        case .right: return (v, height - 1 - u)
        case .rightMirrored: return (width - 1 - v, height - 1 - u)
        case .left: return (width - 1 - v, u)
        }
    }

    /// The orientation in a TIFF structure (EXIF's payload, after `Exif\0\0`): IFD0's tag 274, or nil when absent.
    public init?(tiff bytes: some RandomAccessCollection<UInt8>) {
        let data = Array(bytes)
        guard data.count >= 8 else { return nil }
        let little: Bool
        switch (data[0], data[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= data.count else { return nil }
            return little ? Int(data[at]) | Int(data[at + 1]) << 8 : Int(data[at]) << 8 | Int(data[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd), count < 1000 else { return nil }
        for index in 0..<count {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry) else { return nil }
            guard tag == 274 else { continue }
            guard let value = u16(entry + 8), let orientation = ExifOrientation(rawValue: value) else { return nil }
            self = orientation
            return
        }
        return nil
    }

    /// The orientation of a JPEG, from its first APP1 `Exif` segment (which precedes the picture data).
    static func jpeg(_ data: [UInt8]) -> ExifOrientation? {
        var at = 2
        while at + 4 <= data.count, data[at] == 0xFF {
            let marker = data[at + 1]
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                at += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // the picture data starts: no EXIF before it
            let length = Int(data[at + 2]) << 8 | Int(data[at + 3])
            guard length >= 2 else { return nil }
            let body = at + 4
            if marker == 0xE1, body + 6 <= data.count, Array(data[body..<body + 6]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
                let end = min(data.count, at + 2 + length)
                guard body + 6 < end else { return nil }
                return ExifOrientation(tiff: data[(body + 6)..<end])
            }
            at += 2 + length
        }
        return nil
    }

    /// The orientation of a PNG, from its `eXIf` chunk (PNG 1.5's EXIF, a TIFF structure).
    static func png(_ data: [UInt8]) -> ExifOrientation? {
        var at = 8
        while at + 8 <= data.count {
            let length = Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3])
            let type = String(decoding: data[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = at + 8
            if type == "eXIf" {
                guard length > 0, body + length <= data.count else { return nil }
                return ExifOrientation(tiff: data[body..<(body + length)])
            }
            if type == "IEND" { return nil }
            guard length >= 0, length < Int(Int32.max) else { return nil }
            at = body + length + 4
        }
        return nil
    }

    /// The orientation of a WebP, from its `EXIF` chunk (after the picture data in most files: `data` should hold
    /// the whole file, or its head and tail as a RIFF walk reaches them).
    static func webp(_ data: [UInt8]) -> ExifOrientation? {
        var at = 12
        while at + 8 <= data.count {
            let type = String(decoding: data[at..<(at + 4)], as: UTF8.self)
            let length = Int(data[at + 4]) | Int(data[at + 5]) << 8 | Int(data[at + 6]) << 16 | Int(data[at + 7]) << 24
            let body = at + 8
            if type == "EXIF" {
                guard body + length <= data.count else { return nil }
                var tiff = data[body..<(body + length)]
                // Some writers keep JPEG's "Exif\0\0" prefix.
                if tiff.starts(with: [0x45, 0x78, 0x69, 0x66, 0, 0]) { tiff = tiff.dropFirst(6) }
                return ExifOrientation(tiff: tiff)
            }
            at = body + length + (length & 1)
        }
        return nil
    }
}
