import CFFmpeg

/// Scales decoded pictures to fit inside a target size with their aspect kept, centred on black
/// (letterbox or pillarbox), in YUV 4:2:0.
final class FrameFitter {
    let width: Int, height: Int
    private var scaler: Scaler?
    private var placement = (x: 0, y: 0, width: 0, height: 0)
    /// Reused between calls (copied on write only while an encoder or a crossfade still holds it).
    private var output: Frame?

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// An output frame holding `source` fitted and padded; valid until the next call (keep a reference to keep it).
    func fit(_ source: Frame) throws(MediaError) -> Frame {
        let format = AVPixelFormat(rawValue: source.pointer.pointee.format)
        if scaler == nil || scaler?.sourceWidth != source.width || scaler?.sourceHeight != source.height || scaler?.sourceFormat != format {
            placement = Self.placement(sourceWidth: source.width, sourceHeight: source.height, width: width, height: height)
            scaler = try Scaler(from: source.width, source.height, format, to: placement.width, placement.height, AV_PIX_FMT_YUV420P)
        }
        let output: Frame
        if let existing = self.output {
            output = existing
        } else {
            output = try Frame(width: width, height: height, format: AV_PIX_FMT_YUV420P)
            self.output = output
        }
        try output.makeWritable()
        let padded = placement.width != width || placement.height != height
        var planes: [UnsafeMutablePointer<UInt8>?] = []
        var lineSizes: [Int32] = []
        for plane in 0..<3 {
            guard let data = output.plane(plane) else { continue }
            let stride = output.lineSize(plane)
            let shift = plane == 0 ? 0 : 1
            if padded { memset(data, plane == 0 ? 16 : 128, stride * (height >> shift)) }  // black in limited range
            planes.append(data + (placement.y >> shift) * stride + (placement.x >> shift))
            lineSizes.append(Int32(stride))
        }
        scaler?.scale(source, into: planes, lineSizes: lineSizes)
        return output
    }

    /// The largest even-sized rectangle with the source's aspect that fits, centred on even offsets.
    static func placement(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        let scale = min(Double(width) / Double(sourceWidth), Double(height) / Double(sourceHeight))
        let fittedWidth = min(width, max(2, Int((Double(sourceWidth) * scale / 2).rounded()) * 2))
        let fittedHeight = min(height, max(2, Int((Double(sourceHeight) * scale / 2).rounded()) * 2))
        return ((width - fittedWidth) / 4 * 2, (height - fittedHeight) / 4 * 2, fittedWidth, fittedHeight)
    }
}
