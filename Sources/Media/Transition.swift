/// A transition between consecutive clips (re-encode only).
public enum Transition: Sendable, Equatable, Codable {
    /// The end of one clip fades into the start of the next over this many seconds.
    case crossfade(seconds: Double)

    /// Parses "crossfade:SECONDS".
    public init(parsing text: String) throws(MediaError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "crossfade", let seconds = Double(parts[1]), seconds > 0, seconds.isFinite
        else {
            throw .invalidOption("Transition '\(text)' is not understood: write crossfade:SECONDS, e.g. crossfade:0.5.")
        }
        self = .crossfade(seconds: seconds)
    }
}
