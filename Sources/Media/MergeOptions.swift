/// Options for `ClipMerger.merge`.
public struct MergeOptions: Sendable, Equatable {
    public var mode: MergeMode
    public var format: OutputFormat
    /// Output frame rate (re-encode); default the first clip's.
    public var fps: Double?
    /// Output size (re-encode); default the first clip's.
    public var size: FrameSize?
    /// 0.1 (smallest) ... 1.0 (best); mapped to x264 CRF 36...18 (0.75 gives CRF 23, x264's default).
    public var quality: Double
    /// The x264 preset for re-encoding.
    public var preset: String
    /// The transition at every join (nil: clips follow each other).
    public var transition: Transition?
    /// Transitions for single joins, overriding `transition`: the key is the 0-based index of the clip the join
    /// comes after (0: the join between the first and second clips).
    public var joinTransitions: [Int: Transition]

    public init(
        mode: MergeMode = .auto, format: OutputFormat = .mp4, fps: Double? = nil, size: FrameSize? = nil,
        quality: Double = 0.75, preset: String = "medium", transition: Transition? = nil,
        joinTransitions: [Int: Transition] = [:]
    ) {
        self.mode = mode
        self.format = format
        self.fps = fps
        self.size = size
        self.quality = quality
        self.preset = preset
        self.transition = transition
        self.joinTransitions = joinTransitions
    }

    /// The transition at the join after clip `index` (0-based), or nil when the clips simply follow each other.
    public func transition(after index: Int) -> Transition? { joinTransitions[index] ?? transition }

    /// True when any join has a transition.
    public var hasTransitions: Bool { transition != nil || !joinTransitions.isEmpty }

    /// Throws when a value is out of range.
    public func validate() throws(MediaError) {
        guard (0.1...1.0).contains(quality) else {
            throw .invalidOption("Quality \(quality) is out of range: give a number from 0.1 to 1.0.")
        }
        if let size,
            size.width % 2 != 0 || size.height % 2 != 0 || !(16...8192).contains(size.width)
                || !(16...8192).contains(size.height)
        {
            throw .invalidOption("Size \(size) is not valid: give even numbers from 16 to 8192.")
        }
        for transition in [transition].compactMap({ $0 }) + joinTransitions.values
        where !(transition.seconds > 0 && transition.seconds <= 60) {
            throw .invalidOption(
                "Transition \(transition.summary) is out of range: give a duration above 0 and at most 60 seconds.")
        }
        if let fps, !(fps >= 1 && fps <= 240) {
            throw .invalidOption("Frame rate \(fps) is out of range: give a number from 1 to 240.")
        }
    }

    /// x264 CRF for `quality`.
    var x264CRF: Int { Int((38 - 20 * quality).rounded()) }
    /// x264 CRF for the spans a join merge re-encodes: finer than `x264CRF`, so a join is no softer than the copied
    /// pictures around it (whatever quality the clips were made at); the spans are short, so it costs little.
    var joinCRF: Int { max(10, x264CRF - 7) }
    /// The x264 preset for those spans: a fast one, since a finer CRF over a few frames buys back what a slower
    /// preset would (and the spans are most of a join merge's time).
    var joinPreset: String { "superfast" }
    /// libvpx-vp9 CRF for `quality`.
    var vp9CRF: Int { Int((60 - 40 * quality).rounded()) }
}
