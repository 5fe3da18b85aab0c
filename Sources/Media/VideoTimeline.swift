import CFFmpeg

/// Numbers the output frames of consecutive clips and, with a crossfade, blends the last frames of one
/// clip with the first frames of the next (holding only those few frames).
final class VideoTimeline {
    private let encoder: VideoEncoder
    private let overlap: Int
    private var previousTail: [Frame] = []
    private var tail: [Frame] = []
    private var clipFrames = 0, position = 0, hasNext = false
    /// Frames sent to the encoder so far (the next frame's pts).
    private(set) var written: Int64 = 0

    init(encoder: VideoEncoder, overlap: Int) {
        self.encoder = encoder
        self.overlap = overlap
    }

    func beginClip(frames: Int, hasNext: Bool) {
        previousTail = tail
        tail = []
        clipFrames = frames
        position = 0
        self.hasNext = hasNext
    }

    /// Takes the clip's next output frame (which this object may modify; it keeps a reference, not the frame).
    func push(_ frame: Frame) throws(MediaError) {
        defer { position += 1 }
        if position < previousTail.count {
            blend(previousTail[position], into: frame, weight: Double(position + 1) / Double(overlap + 1))
        } else if hasNext && position >= clipFrames - overlap {
            tail.append(try frame.reference())
            return
        }
        frame.pointer.pointee.pts = written
        written += 1
        try encoder.encode(frame)
    }

    /// Flushes the encoder.
    func finish() throws(MediaError) { try encoder.encode(nil) }

    /// frame = earlier * (1 - weight) + frame * weight, per byte of every plane.
    private func blend(_ earlier: Frame, into frame: Frame, weight: Double) {
        let w = Int(weight * 256)
        let keep = 256 - w
        for plane in 0..<3 {
            guard let a = earlier.plane(plane), let b = frame.plane(plane) else { continue }
            let rows = plane == 0 ? frame.height : frame.height / 2
            let columns = plane == 0 ? frame.width : frame.width / 2
            let strideA = earlier.lineSize(plane)
            let strideB = frame.lineSize(plane)
            for row in 0..<rows {
                let ra = a + row * strideA
                let rb = b + row * strideB
                for column in 0..<columns {
                    rb[column] = UInt8(
                        truncatingIfNeeded: (Int(ra[column]) &* keep &+ Int(rb[column]) &* w &+ 128) &>> 8)
                }
            }
        }
    }
}
