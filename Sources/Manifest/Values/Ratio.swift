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
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0
        else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width):\(height)" }

    public static func < (lhs: Ratio, rhs: Ratio) -> Bool {
        (lhs.width, lhs.height) < (rhs.width, rhs.height)
    }
}
