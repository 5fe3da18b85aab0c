import Foundation

/// What a still's first bytes say: its type, stored size and orientation, read without decoding the picture.
/// `runner plan` reads it for every frame, so that a frame that cannot be used is named before anything is paid.
public struct ImageHeader: Sendable, Equatable, Codable {
    public var format: ImageFormat
    /// The stored size in pixels (before orientation).
    public var width: Int, height: Int
    public var orientation: ExifOrientation
    /// Bytes per pixel once decoded (the decoder's own format), for the memory bound.
    public var decodedBytesPerPixel: Int

    /// The size a viewer shows (orientation applied).
    public var uprightWidth: Int { orientation.swapsSides ? height : width }
    public var uprightHeight: Int { orientation.swapsSides ? width : height }

    /// "4032x3024 JPEG, to turn 90° clockwise".
    public var summary: String {
        "\(width)x\(height) \(format.rawValue.uppercased())" + (orientation == .up ? "" : ", \(orientation.phrase)")
    }

    /// How many leading bytes `parse` wants to see (EXIF sits in the first 64 KiB of a JPEG; HEIF's `meta` box
    /// is near the start of phone photos).
    public static let headBytes = 1 << 20

    /// Parses the header from a file's leading bytes (`head`) and its last bytes (`tail`, for WebP's EXIF, which
    /// follows the picture). Throws `ImageProblem` for an empty, truncated or unknown file.
    public static func parse(head: [UInt8], tail: [UInt8] = [], fileSize: Int64, path: String = "") throws(ImageProblem)
        -> ImageHeader
    {
        guard fileSize > 0, !head.isEmpty else { throw .empty }
        guard let format = ImageFormat(magic: head) else {
            throw .undecodable("its first bytes are not those of a PNG, JPEG, WebP, HEIC/HEIF or AVIF image")
        }
        switch format {
        case .png: return try png(head, fileSize: fileSize)
        case .jpeg: return try jpeg(head)
        case .webp: return try webp(head, tail: tail)
        case .bmp: return try bmp(head)
        case .tiff: return try tiff(head)
        case .heif, .avif:
            if !path.isEmpty { return try HEIFImage.header(path: path, format: format) }
            // libheif reads HEIF boxes from a whole file: given part of one, it refuses it (its picture data lies past).
            guard Int64(head.count) >= fileSize else {
                throw .unreadable(
                    "its HEIF boxes are read from the whole file, and only its first \(head.count) bytes were given")
            }
            return try HEIFImage.header(bytes: head, format: format)
        }
    }

    /// Reads and parses the header of the file at `path`, and checks that the file is not cut short.
    public static func read(path: String) throws(ImageProblem) -> ImageHeader {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("it cannot be opened") }
        defer { try? handle.close() }
        let size: Int64
        do { size = Int64(try handle.seekToEnd()) } catch { throw .unreadable("its size cannot be read") }
        guard size > 0 else { throw .empty }
        let head: [UInt8]
        let tail: [UInt8]
        do {
            try handle.seek(toOffset: 0)
            head = [UInt8](try handle.read(upToCount: headBytes) ?? Data())
            let tailStart = max(Int64(head.count), size - Int64(tailBytes))
            try handle.seek(toOffset: UInt64(tailStart))
            tail = [UInt8](try handle.read(upToCount: tailBytes) ?? Data())
        } catch {
            throw .unreadable("it cannot be read")
        }
        return try read(head: head, tail: tail, fileSize: size, path: path)
    }

    /// The bytes `tail` holds: the last 64 KiB, for the end checks of `checkComplete`.
    public static let tailBytes = 65_536

    /// Parses the header from a file's first `headBytes` and its last `tailBytes` (empty when `head` holds the whole
    /// file) and checks that the file is not cut short: the one check local files (`read(path:)`) and stored frames
    /// (read in two ranges) go through. `path` names the file for libheif; without it a HEIF or AVIF file is read from
    /// `head`, which must then hold all of it.
    public static func read(head: [UInt8], tail: [UInt8], fileSize: Int64, path: String = "") throws(ImageProblem)
        -> ImageHeader
    {
        let header = try parse(head: head, tail: tail, fileSize: fileSize, path: path)
        try checkComplete(header.format, head: head, tail: tail, fileSize: fileSize)
        return header
    }

    /// A JPEG ends with its EOI marker (some cameras append data after it, so the last 64 KiB are searched); a PNG
    /// with its IEND chunk; a RIFF file is as long as it says.
    static func checkComplete(_ format: ImageFormat, head: [UInt8], tail: [UInt8], fileSize: Int64) throws(ImageProblem)
    {
        let end = Int64(head.count) >= fileSize ? head : tail
        switch format {
        case .jpeg:
            let found =
                end.count >= 2 && (0..<(end.count - 1)).reversed().contains { end[$0] == 0xFF && end[$0 + 1] == 0xD9 }
            guard found else { throw .truncated("its data stops before the JPEG's end marker") }
        case .png:
            // Some tools append bytes after IEND, which decoders ignore: it is looked for in the last 64 KiB.
            guard end.count >= 12, end.firstRange(of: Array("IEND".utf8)) != nil else {
                throw .truncated("its data stops before the PNG's end chunk")
            }
        case .webp:
            guard head.count >= 8 else { throw .truncated("its RIFF header is cut short") }
            let declared = Int64(head[4]) | Int64(head[5]) << 8 | Int64(head[6]) << 16 | Int64(head[7]) << 24
            guard fileSize >= declared + 8 else {
                throw .truncated("it is \(fileSize) bytes where its header says \(declared + 8)")
            }
        case .bmp, .tiff, .heif, .avif:
            break
        }
    }

    private static func png(_ data: [UInt8], fileSize: Int64) throws(ImageProblem) -> ImageHeader {
        guard data.count >= 33, String(decoding: data[12..<16], as: UTF8.self) == "IHDR" else {
            throw data.count < 33 ? .truncated("its header is cut short") : .undecodable("its first chunk is not IHDR")
        }
        let width = be32(data, 16)
        let height = be32(data, 20)
        let depth = Int(data[24])
        let colour = Int(data[25])
        // Grey 1, grey+alpha 2, RGB 3, RGBA 4 channels (grey and RGB gain an alpha channel from a tRNS chunk);
        // palette pictures decode to one byte a pixel.
        let channels = [0: 2, 2: 4, 3: 1, 4: 2, 6: 4][colour] ?? 4
        let bytes = colour == 3 ? 1 : channels * (depth == 16 ? 2 : 1)
        return ImageHeader(
            format: .png, width: width, height: height, orientation: ExifOrientation.png(data) ?? .up,
            decodedBytesPerPixel: bytes)
    }

    private static func jpeg(_ data: [UInt8]) throws(ImageProblem) -> ImageHeader {
        var at = 2
        while at + 4 <= data.count {
            guard data[at] == 0xFF else { throw .undecodable("its JPEG markers are damaged") }
            let marker = data[at + 1]
            if marker == 0xFF {
                at += 1
                continue
            }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 {
                at += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { break }
            let length = Int(data[at + 2]) << 8 | Int(data[at + 3])
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                guard at + 10 <= data.count else { break }
                let height = Int(data[at + 5]) << 8 | Int(data[at + 6])
                let width = Int(data[at + 7]) << 8 | Int(data[at + 8])
                let components = Int(data[at + 9])
                // 4:4:4 and CMYK decode to 3 or 4 bytes a pixel, 12-bit JPEGs to twice that.
                let bytes = max(1, components) * (data[at + 4] > 8 ? 2 : 1)
                return ImageHeader(
                    format: .jpeg, width: width, height: height,
                    orientation: ExifOrientation.jpeg(data) ?? .up, decodedBytesPerPixel: bytes)
            }
            at += 2 + length
        }
        throw .truncated("its data stops before the JPEG's size is given")
    }

    private static func webp(_ data: [UInt8], tail: [UInt8]) throws(ImageProblem) -> ImageHeader {
        guard data.count >= 30 else { throw .truncated("its header is cut short") }
        let chunk = String(decoding: data[12..<16], as: UTF8.self)
        var width = 0
        var height = 0
        switch chunk {
        case "VP8X":
            width = 1 + (Int(data[24]) | Int(data[25]) << 8 | Int(data[26]) << 16)
            height = 1 + (Int(data[27]) | Int(data[28]) << 8 | Int(data[29]) << 16)
        case "VP8 ":
            width = (Int(data[26]) | Int(data[27]) << 8) & 0x3FFF
            height = (Int(data[28]) | Int(data[29]) << 8) & 0x3FFF
        case "VP8L":
            let bits = Int(data[21]) | Int(data[22]) << 8 | Int(data[23]) << 16 | Int(data[24]) << 24
            width = 1 + bits & 0x3FFF
            height = 1 + (bits >> 14) & 0x3FFF
        default:
            throw .undecodable("its first WebP chunk is \(chunk)")
        }
        // The EXIF chunk usually follows the picture: look in the whole file when it is small, else its tail.
        var orientation = ExifOrientation.webp(data)
        if orientation == nil, let start = tail.firstRange(of: Array("EXIF".utf8))?.lowerBound {
            orientation = ExifOrientation.webp(Array(repeating: 0, count: 12) + tail[start...])
        }
        return ImageHeader(
            format: .webp, width: width, height: height, orientation: orientation ?? .up, decodedBytesPerPixel: 4)
    }

    private static func bmp(_ data: [UInt8]) throws(ImageProblem) -> ImageHeader {
        guard data.count >= 26 else { throw .truncated("its header is cut short") }
        let width = Int(Int32(bitPattern: UInt32(le32(data, 18))))
        let height = Int(Int32(bitPattern: UInt32(le32(data, 22))))
        return ImageHeader(
            format: .bmp, width: abs(width), height: abs(height), orientation: .up, decodedBytesPerPixel: 4)
    }

    private static func tiff(_ data: [UInt8]) throws(ImageProblem) -> ImageHeader {
        let little = data[0] == 0x49
        func u16(_ at: Int) -> Int {
            at + 2 <= data.count
                ? (little ? Int(data[at]) | Int(data[at + 1]) << 8 : Int(data[at]) << 8 | Int(data[at + 1])) : 0
        }
        func u32(_ at: Int) -> Int { little ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2) }
        let ifd = u32(4)
        var width = 0
        var height = 0
        var samples = 3
        var bits = 8
        for index in 0..<min(u16(ifd), 500) {
            let entry = ifd + 2 + index * 12
            let type = u16(entry + 2)
            let value = type == 3 ? u16(entry + 8) : u32(entry + 8)
            switch u16(entry) {
            case 256: width = value
            case 257: height = value
            case 258: bits = type == 3 && u32(entry + 4) == 1 ? value : bits
            case 277: samples = value
            default: break
            }
        }
        guard width > 0, height > 0 else { throw .truncated("its first directory gives no size") }
        return ImageHeader(
            format: .tiff, width: width, height: height, orientation: ExifOrientation(tiff: data) ?? .up,
            decodedBytesPerPixel: max(1, samples) * max(1, bits / 8))
    }

    private static func be32(_ data: [UInt8], _ at: Int) -> Int {
        Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3])
    }

    private static func le32(_ data: [UInt8], _ at: Int) -> Int {
        Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24
    }
}
