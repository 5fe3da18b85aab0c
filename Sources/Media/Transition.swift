/// A transition at a join between consecutive clips: the end of one clip and the start of the next overlap for
/// `seconds`, so the film is that much shorter than its clips.
public struct Transition: Sendable, Equatable, Hashable, Codable {
    /// What the overlapping frames show.
    public enum Kind: String, Sendable, CaseIterable, Codable, Hashable {
        /// The earlier clip fades into the later one.
        case crossfade
        /// The earlier clip fades to black, then the later one fades in from black.
        case dipToBlack = "dip-to-black"
        /// The later clip is uncovered from the right edge towards the left (the border moves left).
        case wipeLeft = "wipe-left"
        /// The later clip is uncovered from the left edge towards the right (the border moves right).
        case wipeRight = "wipe-right"
        /// The later clip slides in from the right, pushing the earlier one out to the left.
        case slideLeft = "slide-left"
        /// The later clip slides in from the left, pushing the earlier one out to the right.
        case slideRight = "slide-right"
    }

    public var kind: Kind
    /// How long the clips overlap, in seconds (more than 0).
    public var seconds: Double

    public init(_ kind: Kind, seconds: Double) {
        self.kind = kind
        self.seconds = seconds
    }

    /// A crossfade of `seconds`.
    public static func crossfade(seconds: Double) -> Transition { Transition(.crossfade, seconds: seconds) }

    /// Parses "TYPE:SECONDS", e.g. "crossfade:0.5" or "wipe-left:1".
    public init(parsing text: String) throws(MediaError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]), let seconds = Double(parts[1]), seconds > 0,
            seconds.isFinite
        else {
            let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidOption(
                "Transition '\(text)' is not understood: write TYPE:SECONDS with TYPE one of \(kinds), e.g. crossfade:0.5."
            )
        }
        self.init(kind, seconds: seconds)
    }

    /// `crossfade 0.5 s`.
    public var summary: String { "\(kind.rawValue) \(seconds) s" }
}
