import CFFmpeg

/// Shows decoded pictures as a player would, fitted inside a target size: stretched by their pixel aspect
/// ratio, turned (and mirrored) as their display matrix says, scaled with that displayed aspect kept and
/// centred on black (letterbox or pillarbox), in YUV 4:2:0 with square pixels.
final class FrameFitter {
    let width: Int, height: Int
    private var scaler: Scaler?
    private var key: [Int] = []
    private var placement = (x: 0, y: 0, width: 0, height: 0)
    /// Reused between calls (copied on write only while an encoder or a crossfade still holds it).
    private var output: Frame?
    /// The scaled picture before it is turned into place (only for turned or mirrored clips).
    private var upright: Frame?

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// An output frame holding `source` shown as `geometry` says, fitted and padded; valid until the next
    /// call (keep a reference to keep it). Without a geometry the picture is taken as upright, square-pixelled.
    func fit(_ source: Frame, geometry: ClipGeometry? = nil) throws(MediaError) -> Frame {
        let format = AVPixelFormat(rawValue: source.pointer.pointee.format)
        let rotation = geometry?.rotation ?? 0
        let mirrored = geometry?.mirrored ?? false
        let sar = geometry?.sampleAspect ?? AVRational(num: 1, den: 1)
        let turned = rotation != 0 || mirrored
        let newKey = [
            source.width, source.height, Int(format.rawValue), rotation, mirrored ? 1 : 0, Int(sar.num), Int(sar.den),
        ]
        if scaler == nil || key != newKey {
            // The displayed size: pixel aspect stretches the width, a quarter turn swaps the sides.
            let stretched = max(2, Int((Double(source.width) * Double(sar.num) / Double(sar.den)).rounded()))
            let shown = rotation % 180 == 0 ? (stretched, source.height) : (source.height, stretched)
            placement = Self.placement(sourceWidth: shown.0, sourceHeight: shown.1, width: width, height: height)
            // Scale to the placement's size as it is before turning, then turn the pixels into place.
            let scaled = rotation % 180 == 0 ? (placement.width, placement.height) : (placement.height, placement.width)
            scaler = try Scaler(from: source.width, source.height, format, to: scaled.0, scaled.1, AV_PIX_FMT_YUV420P)
            upright = turned ? try Frame(width: scaled.0, height: scaled.1, format: AV_PIX_FMT_YUV420P) : nil
            key = newKey
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
        if let upright {
            scaler?.scale(source, into: upright)
            for plane in 0..<3 {
                guard let target = planes[plane] else { continue }
                let shift = plane == 0 ? 0 : 1
                Self.turn(
                    upright, plane: plane, width: upright.width >> shift, height: upright.height >> shift,
                    into: target, stride: Int(lineSizes[plane]), rotation: rotation, mirrored: mirrored)
            }
        } else {
            scaler?.scale(source, into: planes, lineSizes: lineSizes)
        }
        return output
    }

    /// Copies one plane of `source` (width x height) turned `rotation` degrees clockwise, then mirrored
    /// left to right when `mirrored`, into `target`.
    private static func turn(
        _ source: Frame, plane: Int, width: Int, height: Int, into target: UnsafeMutablePointer<UInt8>,
        stride: Int, rotation: Int, mirrored: Bool
    ) {
        guard let from = source.plane(plane) else { return }
        let sourceStride = source.lineSize(plane)
        let (outWidth, outHeight) = rotation % 180 == 0 ? (width, height) : (height, width)
        for row in 0..<outHeight {
            let line = target + row * stride
            for column in 0..<outWidth {
                let c = mirrored ? outWidth - 1 - column : column
                let (x, y): (Int, Int)
                switch rotation {
                case 90: (x, y) = (row, height - 1 - c)
                case 180: (x, y) = (width - 1 - c, height - 1 - row)
                case 270: (x, y) = (width - 1 - row, c)
                default: (x, y) = (c, row)
                }
                line[column] = from[y * sourceStride + x]
            }
        }
    }

    /// The largest even-sized rectangle with the source's aspect that fits, centred on even offsets.
    static func placement(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) -> (
        x: Int, y: Int, width: Int, height: Int
    ) {
        let scale = min(Double(width) / Double(sourceWidth), Double(height) / Double(sourceHeight))
        let fittedWidth = min(width, max(2, Int((Double(sourceWidth) * scale / 2).rounded()) * 2))
        let fittedHeight = min(height, max(2, Int((Double(sourceHeight) * scale / 2).rounded()) * 2))
        return ((width - fittedWidth) / 4 * 2, (height - fittedHeight) / 4 * 2, fittedWidth, fittedHeight)
    }
}
