/// Why a frame cannot be used, found by the runner itself before any provider sees it.
public enum ImageProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The file stops early.
    case truncated(String)
    /// The bytes are no image the runner reads, or the picture inside is damaged.
    case undecodable(String)
    /// The file cannot be opened or read.
    case unreadable(String)
    /// Decoding it would take more memory than the runner allows itself (`ImageLimits`).
    case tooLarge(width: Int, height: Int, bytesPerPixel: Int, limitBytes: Int)
    /// Too small, or too thin for any video ratio.
    case unusableShape(width: Int, height: Int, reason: String)

    /// The reason, as plan and apply print it after the frame's name.
    public var description: String {
        switch self {
        case .empty:
            return "empty: the file has 0 bytes; copy or export it again"
        case .truncated(let reason):
            return "truncated: \(reason); copy or export it again"
        case .undecodable(let reason):
            return "undecodable: \(reason); export it as JPEG, PNG, WebP or HEIC"
        case .unreadable(let reason):
            return "unreadable: \(reason); check that it exists and is readable"
        case .tooLarge(let width, let height, let bytes, let limit):
            let megapixels = Double(width) * Double(height) / 1_000_000
            return String(
                format:
                    "too large: %dx%d pixels (%.0f MP, %d bytes a pixel decoded) needs more than the %d MB the runner decodes a frame in; "
                    + "downscale it (e.g. to 8000 pixels on the long side)", width, height, megapixels, bytes,
                limit >> 20)
        case .unusableShape(let width, let height, let reason):
            return "unusable shape: \(width)x\(height) pixels \(reason)"
        }
    }

    /// The one-word kind, for JSON and tests: empty, truncated, undecodable, unreadable, too-large, shape.
    public var kind: String {
        switch self {
        case .empty: return "empty"
        case .truncated: return "truncated"
        case .undecodable: return "undecodable"
        case .unreadable: return "unreadable"
        case .tooLarge: return "too-large"
        case .unusableShape: return "shape"
        }
    }
}

/// The bounds every frame is held to, so that any file is read within bounded memory or refused by its shape.
public enum ImageLimits {
    /// The most bytes a decoded picture may take (in its decoder's own pixel format): with the working copies this
    /// keeps a frame's preparation under 300 MB of peak memory.
    public static let maxDecodedBytes = 128 << 20
    /// The longest side of a prepared image: more than any provider's output uses, and a bound on the working copies.
    public static let maxPreparedSide = 4096
    /// Below this on either side there is nothing to pan over or animate.
    public static let minimumSide = 16
    /// The most one side may exceed the other: a thinner strip leaves nothing of itself in any video ratio.
    public static let maxAspect = 8.0

    /// Checks a header against the bounds.
    public static func check(_ header: ImageHeader) throws(ImageProblem) {
        let (width, height) = (header.width, header.height)
        guard width >= minimumSide, height >= minimumSide else {
            throw .unusableShape(
                width: width, height: height,
                reason: "is smaller than \(minimumSide) pixels on a side; give a larger image")
        }
        let aspect = Double(max(width, height)) / Double(min(width, height))
        guard aspect <= maxAspect else {
            throw .unusableShape(
                width: width, height: height,
                reason: String(
                    format: "is %.1f times longer than it is wide, more than %.0f:1: "
                        + "a video would show a sliver of it; crop it closer to the video's ratio", aspect, maxAspect))
        }
        guard width * height * header.decodedBytesPerPixel <= maxDecodedBytes else {
            throw .tooLarge(
                width: width, height: height, bytesPerPixel: header.decodedBytesPerPixel, limitBytes: maxDecodedBytes)
        }
    }
}
