/// An output size written `WIDTH:HEIGHT` in pixels, as Runway names its ratios (`1280:720`).
public struct Ratio: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1280:720`; nil unless both sides are positive whole numbers.
    public init?(_ text: String) {
        guard let (width, height) = Ratio.pixelPair(text, separator: ":") else { return nil }
        self.init(width: width, height: height)
    }

    /// Two positive whole numbers of at most five digits around `separator`, as in `1280:720` or `1280x720`.
    static func pixelPair(_ text: String, separator: Character) -> (Int, Int)? {
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0
        else { return nil }
        return (width, height)
    }

    public var description: String { "\(width):\(height)" }

    public static func < (lhs: Ratio, rhs: Ratio) -> Bool {
        (lhs.width, lhs.height) < (rhs.width, rhs.height)
    }
}
