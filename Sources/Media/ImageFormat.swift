/// The still-image types the runner reads, told from a file's first bytes (never from its name).
public enum ImageFormat: String, Sendable, Equatable, Codable, CaseIterable {
    case jpeg, png, webp, bmp, tiff, heif, avif

    /// The MIME type, as sent to providers and stored with objects.
    public var mimeType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .webp: return "image/webp"
        case .bmp: return "image/bmp"
        case .tiff: return "image/tiff"
        case .heif: return "image/heic"
        case .avif: return "image/avif"
        }
    }

    /// Name extensions (lower case) taken as still images by a frame listing.
    public static let fileExtensions: Set<String> = ["png", "jpg", "jpeg", "webp", "heic", "heif", "hif", "avif"]

    /// The type of these leading bytes (12 are enough), or nil when they are no image the runner reads.
    public init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        func ascii(_ range: Range<Int>) -> String {
            head.count >= range.upperBound ? String(decoding: head[range], as: UTF8.self) : ""
        }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if ascii(0..<4) == "RIFF", ascii(8..<12) == "WEBP" {
            self = .webp
        } else if head.starts(with: [0x42, 0x4D]) && head.count >= 12 {
            self = .bmp
        } else if head.starts(with: [0x49, 0x49, 0x2A, 0]) || head.starts(with: [0x4D, 0x4D, 0, 0x2A]) {
            self = .tiff
        } else if ascii(4..<8) == "ftyp" {
            switch ascii(8..<12) {
            case "avif", "avis": self = .avif
            case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "mif2": self = .heif
            default: return nil
            }
        } else {
            return nil
        }
    }
}
