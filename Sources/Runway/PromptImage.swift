import Foundation

/// The image a generation starts from, and how it reaches Runway.
public enum PromptImage: Sendable, Equatable {
    /// A link Runway fetches itself (an S3 frame's presigned GET).
    case link(URL)
    /// A frame on this machine: sent inline as a data URI when small, otherwise uploaded first.
    case file(path: String)

    /// Runway's limit on a `data:` URI, in characters.
    public static let maximumDataURILength = 5_000_000
    /// The runner's own limit on a local frame: larger stills are refused before any paid call.
    public static let maximumFileBytes = 16 << 20

    /// The image formats Runway accepts, told from a file's first bytes.
    public enum Format: String, Sendable {
        case png = "image/png", jpeg = "image/jpeg", webp = "image/webp"

        /// The format of these leading bytes, or nil when they are no image Runway takes.
        public init?(magic bytes: some Collection<UInt8>) {
            let head = Array(bytes.prefix(12))
            if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8)
            {
                self = .webp
            } else {
                return nil
            }
        }
    }

    /// Reads and checks a local frame: refused when it is missing, not an image, empty or too large.
    static func checkedFile(_ path: String) throws(RunwayError) -> (data: Data, format: Format) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badRequest(message: "the frame \(path) cannot be read; check that it exists")
        }
        guard data.count <= maximumFileBytes else {
            throw .badRequest(
                message:
                    "the frame \(path) is \(data.count >> 20) MiB; frames may be at most \(maximumFileBytes >> 20) MiB: scale it down"
            )
        }
        guard let format = Format(magic: data) else {
            throw .badRequest(message: "the frame \(path) is not a PNG, JPEG or WebP image")
        }
        return (data, format)
    }
}

extension RunwayClient {
    /// The `promptImage` value for a frame: its link, a data URI, or (for large local frames) an upload's `runway://` URI.
    public func promptImageValue(for image: PromptImage) async throws(RunwayError) -> String {
        switch image {
        case .link(let url):
            return url.absoluteString
        case .file(let path):
            let (data, format) = try PromptImage.checkedFile(path)
            let uri = "data:\(format.rawValue);base64,\(data.base64EncodedString())"
            if uri.count <= PromptImage.maximumDataURILength { return uri }
            return try await uploadEphemeral(
                data, filename: URL(fileURLWithPath: path).lastPathComponent, format: format)
        }
    }
}
