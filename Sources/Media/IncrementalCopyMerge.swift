import Synchronization

/// A copy merge fed its clips one at a time, in film order, as they become available: the output is opened
/// with the first clip, each clip's packets are appended the moment it is given, and `finish` writes the index
/// (`moov`, moved to the front for MP4, which needs the whole film) and renames the film into place.
///
/// For the same clips and options it writes the same bytes as `ClipMerger.merge` when that copies (the same
/// `CopyMerger` writes the same packets in the same order), and `finish` takes the same decision (`choose` over
/// every clip), so it reports the same reason. It only ever copies: a clip that would make the merge re-encode or
/// refuse (another codec setup, a transition, a clip that cannot be copied exactly) makes `append` throw, and the
/// caller merges the whole list with `ClipMerger.merge`, which decides and reports as it always does.
/// Calls may come from any thread, one at a time (they are serialised).
public final class IncrementalCopyMerge: Sendable {
    /// Where the film goes (a temporary file beside it until `finish`).
    public let output: String
    /// How many clips the film has.
    public let clipCount: Int
    public let options: MergeOptions

    private struct State {
        var merger: CopyMerger?
        var clips: [CheckedClip] = []
        var finished = false
    }

    private let state: Mutex<State>
    private let shouldStop: (@Sendable () -> Bool)?

    /// A merge of `clipCount` clips into `output`, refused at once when `options` rule out copying.
    public init(
        output: String, clipCount: Int, options: MergeOptions = MergeOptions(mode: .copy),
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(MediaError) {
        try options.validate()
        guard clipCount > 0 else { throw .noClips }
        guard options.mode != .reencode, !options.hasTransitions else {
            throw .invalidOption("An incremental merge only copies; this merge re-encodes.")
        }
        self.output = output
        self.clipCount = clipCount
        self.options = options
        self.shouldStop = shouldStop
        state = Mutex(State())
    }

    /// The clips appended so far.
    public var clipsAppended: Int { state.withLock { $0.clips.count } }

    /// Checks the clip at `path` (the next in film order) as `ClipMerger.merge` checks it and appends its packets;
    /// `title` (its source frame's name) becomes the chapter of its span, as `ClipMerger.merge`'s `titles` do.
    /// Throws when the clip is unusable or would make the merge anything but this copy; the merge then cannot go on.
    public func append(_ path: String, title: String? = nil) throws(MediaError) {
        try state.withLock { (state: inout State) throws(MediaError) in
            guard !state.finished else { throw .invalidOption("The merge is finished.") }
            let index = state.clips.count
            guard index < clipCount else { throw .invalidOption("The merge has its \(clipCount) clips already.") }
            let clip = try CheckedClip(path)
            if let first = state.clips.first?.signature {
                if let difference = clip.signature.firstDifference(from: first) {
                    throw .incompatibleClip(
                        index: index, path: path, parameter: difference.parameter,
                        found: difference.found, expected: difference.expected)
                }
            } else if let obstacle = ClipMerger.optionsObstacle(clip.signature, options: options) {
                throw .notCopyable(index: index, path: path, reason: obstacle)
            }
            if let problem = ClipMerger.inexactCopy(clip.timeline, index: index, count: clipCount) {
                throw .notCopyable(index: index, path: path, reason: problem)
            }
            if state.merger == nil {
                guard let geometry = clip.info.video?.geometry else { throw .noVideoStream(path: path) }
                state.merger = try CopyMerger(
                    geometry: geometry, output: output, format: options.format,
                    hasAudio: clip.signature.audio != nil, clipCount: clipCount,
                    shouldStop: shouldStop, progress: nil)
            }
            do throws(MediaError) {
                try state.merger?.append(path, timeline: clip.timeline, title: title)
            } catch {
                state.merger = nil  // its partial output is deleted
                throw error
            }
            state.clips.append(clip)
        }
    }

    /// Writes the index and renames the film onto `output`, once every clip is in and `ClipMerger.merge` would
    /// copy them too (with the reason it would give).
    public func finish() throws(MediaError) -> MergeReport {
        try state.withLock { (state: inout State) throws(MediaError) -> MergeReport in
            guard !state.finished, let merger = state.merger else {
                throw .invalidOption("The merge has no clip or is finished.")
            }
            guard state.clips.count == clipCount else {
                throw .invalidOption("The merge has \(state.clips.count) of its \(clipCount) clips.")
            }
            let plan = try ClipMerger.choose(
                clips: state.clips.map { ($0.info.path, $0.signature, $0.timeline) }, options: options)
            guard plan.mode == .copy else { throw .invalidOption("The merge would not copy: \(plan.reason).") }
            state.finished = true
            state.merger = nil
            return try merger.finish(reason: plan.reason)
        }
    }

    /// Stops the merge and deletes its partial output.
    public func cancel() {
        state.withLock {
            $0.finished = true
            $0.merger = nil
        }
    }
}
