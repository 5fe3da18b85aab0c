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
    public var transition: Transition?

    public init(
        mode: MergeMode = .auto, format: OutputFormat = .mp4, fps: Double? = nil, size: FrameSize? = nil,
        quality: Double = 0.75, preset: String = "medium", transition: Transition? = nil
    ) {
        self.mode = mode
        self.format = format
        self.fps = fps
        self.size = size
        self.quality = quality
        self.preset = preset
        self.transition = transition
    }

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
        if let fps, !(fps >= 1 && fps <= 240) {
            throw .invalidOption("Frame rate \(fps) is out of range: give a number from 1 to 240.")
        }
    }

    /// x264 CRF for `quality`.
    var x264CRF: Int { Int((38 - 20 * quality).rounded()) }
    /// libvpx-vp9 CRF for `quality`.
    var vp9CRF: Int { Int((60 - 40 * quality).rounded()) }
}
