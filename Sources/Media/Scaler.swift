import CFFmpeg

/// An owned swscale context converting one size/format to another.
final class Scaler {
    let context: OpaquePointer
    let sourceWidth: Int, sourceHeight: Int, sourceFormat: AVPixelFormat

    init(
        from width: Int, _ height: Int, _ format: AVPixelFormat,
        to outWidth: Int, _ outHeight: Int, _ outFormat: AVPixelFormat,
        flags: Int32 = runner_sws_bicubic()
    ) throws(MediaError) {
        MediaLibraries.prepare()
        guard
            let context = sws_getContext(
                Int32(width), Int32(height), format,
                Int32(outWidth), Int32(outHeight), outFormat,
                flags, nil, nil, nil)
        else {
            throw .unavailable("a scaler from \(width)x\(height) to \(outWidth)x\(outHeight)")
        }
        self.context = context
        sourceWidth = width
        sourceHeight = height
        sourceFormat = format
    }

    deinit { sws_freeContext(context) }

    /// Scales `source` into the planes given (which may point inside a larger frame, for padding).
    func scale(_ source: Frame, into planes: [UnsafeMutablePointer<UInt8>?], lineSizes: [Int32]) {
        withUnsafePointer(to: source.pointer.pointee.data) { sourceData in
            sourceData.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { sourcePlanes in
                withUnsafePointer(to: source.pointer.pointee.linesize) { sourceLines in
                    sourceLines.withMemoryRebound(to: Int32.self, capacity: 8) { sourceLineSizes in
                        var destination = planes + Array(repeating: nil, count: max(0, 4 - planes.count))
                        var destinationLines = lineSizes + Array(repeating: 0, count: max(0, 4 - lineSizes.count))
                        _ = sws_scale(
                            context, sourcePlanes, sourceLineSizes, 0, Int32(sourceHeight),
                            &destination, &destinationLines)
                    }
                }
            }
        }
    }

    /// Scales the whole of `source` into the whole of `destination`.
    func scale(_ source: Frame, into destination: Frame) {
        scale(
            source, into: (0..<4).map { destination.plane($0) },
            lineSizes: (0..<4).map { Int32(destination.lineSize($0)) })
    }
}
