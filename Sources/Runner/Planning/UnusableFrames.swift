import Stages

/// Frames the runner will not use (empty, truncated, undecodable, too large, an unusable shape) feed a generate stage
/// whose `onFailure` is `fail`: apply stops before anything is submitted (issue #14).
public struct UnusableFrames: Error, Sendable, CustomStringConvertible {
    public let stage: String
    public let frames: [RefusedFrame]

    public var description: String {
        "nothing was submitted: \(frames.count) frame\(frames.count == 1 ? "" : "s") of stage `\(stage)` cannot be used "
            + "(found by the runner, not by a provider):\n"
            + frames.map { "  ! \($0.name): \($0.reason)" }.joined(separator: "\n")
            + "\nfix or remove \(frames.count == 1 ? "it" : "them"), or set `onFailure: skip` on the stage to leave them out"
    }
}
