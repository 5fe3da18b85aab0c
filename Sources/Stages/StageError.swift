import Manifest

/// What can stop a stage's work item, each as a sentence naming the thing and the fix.
public enum StageError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A provider's settings cannot make a client.
    case providerSetting(provider: String, problem: String)
    /// A frames stage found no images.
    case noFrames(stage: String, location: String, include: [String])
    /// A merge has no clips to join (every one failed or was skipped).
    case nothingToMerge(stage: String)
    /// A publish has no film (the merge it needs made none).
    case nothingToPublish(stage: String)
    /// The budget cannot cover another paid submission for a frame.
    case budgetExhausted(frame: String, failedAttempts: Int)
    /// A file that should exist does not, or cannot be read.
    case unreadable(path: String, reason: String)
    /// A clip or film is not the one its checkpoint record describes (its SHA-256 or size differs).
    case changedSinceRecorded(location: String, recorded: String, found: String)
    /// A clip or film a checkpoint records is gone (deleted after it was recorded); `what` names it
    /// ("the clip of frame_01.png").
    case goneSinceRecorded(what: String, location: String)
    /// A `chain: true` stage has one frame, so no clip can go from one frame to the next.
    case chainTooShort(stage: String, frame: String)
    /// Two frames' clips would have one name (`clipName` without {key}, frames that differ only in extension).
    case clipNamesCollide(
        stage: String, clip: String, frame: String, otherFrame: String, pattern: String, at: SourcePosition?)
    /// A clip's name is longer than its store takes (a file name's 255 bytes, an S3 key's 1024).
    case clipNameTooLong(stage: String, frame: String, bytes: Int, limit: Int, what: String)

    public var description: String {
        switch self {
        case .providerSetting(let provider, let problem):
            return "provider `\(provider)`: \(problem)"
        case .noFrames(let stage, let location, let include):
            return "stage `\(stage)` found no frames at \(location)"
                + (include.isEmpty ? "" : " matching \(include.joined(separator: ", "))")
                + "; check the location and `include` (images: .png, .jpg, .jpeg, .webp)"
        case .nothingToMerge(let stage):
            return "stage `\(stage)` has no clips to merge: every clip it needs failed or was skipped"
        case .nothingToPublish:
            return "there is no film to publish"
        case .budgetExhausted(let frame, let failedAttempts):
            return "\(frame): not submitted: budget.maxCredits would be exceeded"
                + (failedAttempts > 0
                    ? " by a retry after \(failedAttempts) failed task\(failedAttempts == 1 ? "" : "s")" : "")
                + "; raise the budget and rerun"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .changedSinceRecorded(let location, let recorded, let found):
            return
                "\(InertText.escaped(location)) is not what its checkpoint record describes (\(found), recorded \(recorded)): "
                + "it changed after the runner made it; delete it, and the next apply makes it again"
        case .goneSinceRecorded(let what, let location):
            return "\(what) is gone: \(InertText.escaped(location)) was deleted after it was recorded; "
                + "run apply again: the plan makes it again"
        case .chainTooShort(let stage, let frame):
            return "stage `\(stage)` chains its clips frame to frame (`chain: true`), but it has one frame "
                + "(\(InertText.escaped(frame))): a chain needs at least two frames; add frames, use `chain: loop` "
                + "for one clip from the frame back to itself, or remove `chain`"
        case .clipNameTooLong(let stage, let frame, let bytes, let limit, let what):
            return
                "stage `\(stage)` would store the clip of \(InertText.escaped(frame)) under a \(what) of \(bytes) bytes, "
                + "more than the \(limit) it may have; rename the frame, or give the stage a shorter `clipName` or `to`"
        case .clipNamesCollide(let stage, let clip, let frame, let otherFrame, let pattern, let position):
            return (position.map { "\($0): " } ?? "")
                + "stage `\(stage)` would store the clips of \(InertText.escaped(frame)) and "
                + "\(InertText.escaped(otherFrame)) both as \(InertText.escaped(clip)) (`clipName: \"\(pattern)\"`); "
                + "rename one of the frames, or put {key} in `clipName`"
        }
    }

    /// Whether the manifest asks for what no run can give (a chain of one frame), so that a plan stops with the
    /// error, as for a manifest mistake, rather than show the stage as one that failed before.
    public var stopsThePlan: Bool {
        switch self {
        case .chainTooShort, .clipNamesCollide, .clipNameTooLong: return true
        default: return false
        }
    }
}
