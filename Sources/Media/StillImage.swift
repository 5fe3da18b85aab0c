/// A still image decoded once into memory, as a viewer shows it (`UprightImage`): oriented, flattened, RGB24.
struct StillImage {
    /// The upright picture (RGB24).
    let frame: Frame
    let path: String

    /// Reads `path` (PNG, JPEG, WebP, BMP, TIFF, HEIC/HEIF or AVIF), flattening transparency onto `background`.
    init(path: String, background: RGBColor = .black, maxSide: Int = ImageLimits.maxPreparedSide) throws(MediaError) {
        self.path = path
        frame = try UprightImage(path: path, background: background, maxSide: maxSide).frame
    }
}
