import CFFmpeg

/// The still, cover-cropped to the output ratio and scaled once to `zoom` times the output size (YUV 4:2:0),
/// so every frame is a small sub-pixel crop of it and the original is never touched again.
struct KenBurnsCanvas {
    let frame: Frame
    /// Canvas size in luma pixels (even).
    let width: Int, height: Int
    /// Where the canvas starts inside `frame` (even, so chroma lines up).
    let offsetX: Int, offsetY: Int

    init(image: StillImage, size: FrameSize, zoom: Double) throws(MediaError) {
        let source = image.frame
        width = Self.even(Double(size.width) * zoom)
        height = Self.even(Double(size.height) * zoom)
        // Cover-crop: the largest centred region of the image with the output's ratio.
        let wider = source.width * size.height > source.height * size.width
        let cropWidth = wider ? Double(source.height) * Double(size.width) / Double(size.height) : Double(source.width)
        let scale = Double(width) / cropWidth
        let scaledWidth = max(width, Self.even(Double(source.width) * scale))
        let scaledHeight = max(height, Self.even(Double(source.height) * scale))
        // Zeroed: the sampler may read a pixel past the canvas's edge, which must be the same bytes on every run.
        frame = UprightImage.zeroed(try Frame(width: scaledWidth, height: scaledHeight, format: AV_PIX_FMT_YUV420P))
        let flags = runner_sws_bicubic() | runner_sws_accurate_rnd() | runner_sws_bitexact()
        let scaler = try Scaler(
            from: source.width, source.height, AVPixelFormat(rawValue: source.pointer.pointee.format),
            to: scaledWidth, scaledHeight, AV_PIX_FMT_YUV420P, flags: flags)
        scaler.scale(source, into: frame)
        offsetX = (scaledWidth - width) / 4 * 2
        offsetY = (scaledHeight - height) / 4 * 2
    }

    /// Draws the canvas region `rect` (luma pixels, fractional) into `output` (YUV 4:2:0).
    func draw(_ rect: KenBurnsPath.Rect, into output: Frame) {
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let source = frame.plane(plane), let destination = output.plane(plane) else { continue }
            let stride = frame.lineSize(plane)
            let origin = source + (offsetY >> shift) * stride + (offsetX >> shift)
            let divisor = Double(1 << shift)
            SubpixelSampler.draw(
                source: origin, sourceWidth: width >> shift, sourceHeight: height >> shift, sourceStride: stride,
                x: rect.x / divisor, y: rect.y / divisor, width: rect.width / divisor, height: rect.height / divisor,
                destination: destination, outWidth: output.width >> shift, outHeight: output.height >> shift,
                destinationStride: output.lineSize(plane))
        }
    }

    private static func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }
}
