/// Options for `KenBurns.render`.
public struct KenBurnsOptions: Sendable, Equatable {
    /// Output size (the image is cover-cropped to its ratio).
    public var size: FrameSize
    /// Seconds of video.
    public var duration: Double
    public var fps: Int
    /// Picks the zoom direction (in or out) and the pan direction.
    public var seed: UInt64
    /// How far the camera zooms over the clip (1.15 = 15 %).
    public var zoom: Double
    /// 0.1 ... 1.0 as for merging (0.75 gives x264 CRF 23).
    public var quality: Double
    public var preset: String
    /// What shows through transparent parts of the image.
    public var background: RGBColor

    public init(
        size: FrameSize = FrameSize(width: 1280, height: 720), duration: Double = 5, fps: Int = 24,
        seed: UInt64 = 0, zoom: Double = 1.15, quality: Double = 0.75, preset: String = "medium",
        background: RGBColor = .black
    ) {
        self.size = size
        self.duration = duration
        self.fps = fps
        self.seed = seed
        self.zoom = zoom
        self.quality = quality
        self.preset = preset
        self.background = background
    }

    func validate() throws(MediaError) {
        guard duration > 0, duration <= 600 else {
            throw .invalidOption("Duration \(duration) s is out of range: give 0 < seconds <= 600.")
        }
        guard (1...120).contains(fps) else { throw .invalidOption("Frame rate \(fps) is out of range: give 1 to 120.") }
        guard zoom >= 1, zoom <= 2 else { throw .invalidOption("Zoom \(zoom) is out of range: give 1.0 to 2.0.") }
        guard (0.1...1.0).contains(quality) else {
            throw .invalidOption("Quality \(quality) is out of range: give 0.1 to 1.0.")
        }
        guard size.width % 2 == 0, size.height % 2 == 0, size.width >= 16, size.height >= 16 else {
            throw .invalidOption("Size \(size) is not valid: give even numbers of at least 16.")
        }
    }

    var frameCount: Int { max(1, Int((duration * Double(fps)).rounded())) }
    var crf: Int { Int((38 - 20 * quality).rounded()) }
}
