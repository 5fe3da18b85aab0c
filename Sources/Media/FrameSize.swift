/// A frame size in pixels.
public struct FrameSize: Sendable, Equatable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses "WxH" or "W:H" (e.g. "1280x720", the Runway ratio "1280:720"); both sides even and 16...8192.
    public init(parsing text: String) throws(MediaError) {
        let parts = text.lowercased().split(whereSeparator: { $0 == "x" || $0 == ":" }).map(String.init)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            (16...8192).contains(width), (16...8192).contains(height), width % 2 == 0, height % 2 == 0
        else {
            throw .invalidOption(
                "Size '\(text)' is not valid: write WIDTHxHEIGHT with even numbers from 16 to 8192, e.g. 1280x720.")
        }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }
}
