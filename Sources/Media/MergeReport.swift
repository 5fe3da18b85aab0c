/// What a merge did.
public struct MergeReport: Sendable, Equatable, Codable {
    /// The mode actually used (never `.auto`). A merge with transitions that re-encodes only around its joins
    /// reports `.copy`, with the spans it re-encoded in `reencodedSpans`.
    public var mode: MergeMode
    /// Why that mode was used, as a sentence.
    public var reason: String
    public var output: String
    public var clipCount: Int
    /// Output duration in seconds.
    public var duration: Double
    public var hasAudio: Bool
    /// Copy mode: timestamps nudged to keep DTS strictly rising across joins.
    public var timestampAdjustments: Int
    /// Copy mode with transitions: the spans of the film that were decoded and encoded again (around each
    /// transition, from the keyframe before it to the keyframe after it), in film order; everything else was copied.
    public var reencodedSpans: [FilmSpan]

    public init(
        mode: MergeMode, reason: String, output: String, clipCount: Int, duration: Double, hasAudio: Bool,
        timestampAdjustments: Int, reencodedSpans: [FilmSpan] = []
    ) {
        self.mode = mode
        self.reason = reason
        self.output = output
        self.clipCount = clipCount
        self.duration = duration
        self.hasAudio = hasAudio
        self.timestampAdjustments = timestampAdjustments
        self.reencodedSpans = reencodedSpans
    }
}

/// A stretch of a film, in seconds from its start.
public struct FilmSpan: Sendable, Equatable, Codable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }
}
