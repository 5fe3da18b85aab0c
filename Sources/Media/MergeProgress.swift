/// Progress of a merge, reported after each clip.
public struct MergeProgress: Sendable, Equatable {
    /// Clips finished so far.
    public var clipsDone: Int
    public var clipCount: Int
    /// Seconds of output written so far.
    public var secondsWritten: Double
}
