import Manifest
import Media

/// A clip's span in a merged film, as its chapter says: the name of the frame it was made from, and when it plays.
public struct ClipSpan: Sendable, Equatable {
    /// The source frame's file name.
    public var frame: String
    /// Seconds from the film's start.
    public var start: Double
    public var end: Double

    public init(frame: String, start: Double, end: Double) {
        self.frame = frame
        self.start = start
        self.end = end
    }
}

/// Captions from `lines:`: each line shown for the span of every clip made from a frame its glob matches.
enum CaptionPlacement {
    /// The captions of `lines` over `spans`; throws naming every line whose glob matches no clip (a mistyped name
    /// would otherwise leave a caption out without a word), and a film without spans.
    static func captions(for lines: [CaptionLine], spans: [ClipSpan], stage: String) throws(CaptionsProblem)
        -> [Caption]
    {
        guard !spans.isEmpty else { throw .noClipSpans(stage: stage) }
        var captions: [Caption] = []
        var unmatched: [CaptionLine] = []
        for line in lines {
            let glob = Glob(line.match)
            let matching = spans.filter { glob.matches($0.frame) }
            if matching.isEmpty { unmatched.append(line) }
            for span in matching {
                captions.append(
                    Caption(
                        start: Int64((span.start * 1000).rounded()), end: Int64((span.end * 1000).rounded()),
                        text: line.text))
            }
        }
        guard unmatched.isEmpty else {
            throw .linesMatchNoClip(stage: stage, lines: unmatched, frames: spans.map(\.frame))
        }
        return captions.filter { $0.end > $0.start }
    }
}
