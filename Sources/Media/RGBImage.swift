import CFFmpeg

/// A plain RGB picture in memory, for composing thumbnails and contact sheets.
struct RGBImage {
    let width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fillRect(x: 0, y: 0, width: width, height: height, color: fill)
    }

    /// `frame` scaled to `width` pixels wide, aspect kept.
    init(scaling frame: Frame, toWidth width: Int) throws(MediaError) {
        let height = max(1, Int((Double(frame.height) * Double(width) / Double(frame.width)).rounded()))
        let rgb = try Frame(width: width, height: height, format: AV_PIX_FMT_RGB24)
        let scaler = try Scaler(
            from: frame.width, frame.height, AVPixelFormat(rawValue: frame.pointer.pointee.format),
            to: width, height, AV_PIX_FMT_RGB24, flags: runner_sws_bicubic() | runner_sws_full_chr_h_int())
        scaler.scale(frame, into: rgb)
        self.init(width: width, height: height)
        guard let data = rgb.plane(0) else { return }
        let stride = rgb.lineSize(0)
        for row in 0..<height {
            for byte in 0..<width * 3 { pixels[(row * width) * 3 + byte] = data[row * stride + byte] }
        }
    }

    mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: (UInt8, UInt8, UInt8)) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                let i = (row * width + column) * 3
                pixels[i] = color.0
                pixels[i + 1] = color.1
                pixels[i + 2] = color.2
            }
        }
    }

    /// Copies `image` with its top-left corner at (x, y), clipped to this image.
    mutating func draw(_ image: RGBImage, x: Int, y: Int) {
        for row in 0..<image.height where y + row >= 0 && y + row < height {
            for column in 0..<image.width where x + column >= 0 && x + column < width {
                let from = (row * image.width + column) * 3
                let to = ((y + row) * width + x + column) * 3
                pixels[to] = image.pixels[from]
                pixels[to + 1] = image.pixels[from + 1]
                pixels[to + 2] = image.pixels[from + 2]
            }
        }
    }

    /// This image as an RGB24 frame (for the PNG encoder).
    func frame() throws(MediaError) -> Frame {
        let frame = try Frame(width: width, height: height, format: AV_PIX_FMT_RGB24)
        guard let data = frame.plane(0) else { throw .unavailable("memory for an image") }
        let stride = frame.lineSize(0)
        pixels.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for row in 0..<height { memcpy(data + row * stride, base + row * width * 3, width * 3) }
        }
        return frame
    }
}
