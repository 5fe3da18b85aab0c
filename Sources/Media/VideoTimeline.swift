import CFFmpeg

/// Numbers the output frames of consecutive clips and, at a join with a transition, draws the last frames of
/// one clip over the first frames of the next (`TransitionPicture`), holding only those few frames.
final class VideoTimeline {
    private let encoder: VideoEncoder
    private var previousTail: [Frame] = []
    private var previousKind = Transition.Kind.crossfade
    private var tail: [Frame] = []
    private var kind = Transition.Kind.crossfade
    private var clipFrames = 0, position = 0, overlapAfter = 0
    /// Frames sent to the encoder so far (the next frame's pts).
    private(set) var written: Int64 = 0

    init(encoder: VideoEncoder) {
        self.encoder = encoder
    }

    /// Starts a clip of `frames` output frames whose last `overlapAfter` frames overlap the next clip's first ones,
    /// drawn as `kind`.
    func beginClip(frames: Int, overlapAfter: Int, kind: Transition.Kind) {
        previousTail = tail
        previousKind = self.kind
        tail = []
        clipFrames = frames
        position = 0
        self.overlapAfter = overlapAfter
        self.kind = kind
    }

    /// Takes the clip's next output frame (which this object may modify; it keeps a reference, not the frame).
    func push(_ frame: Frame) throws(MediaError) {
        defer { position += 1 }
        if position < previousTail.count {
            try frame.makeWritable()
            TransitionPicture.draw(
                previousKind, earlier: previousTail[position], into: frame, step: position, count: previousTail.count)
        } else if position >= clipFrames - overlapAfter {
            tail.append(try frame.reference())
            return
        }
        frame.pointer.pointee.pts = written
        written += 1
        try encoder.encode(frame)
    }

    /// Flushes the encoder.
    func finish() throws(MediaError) { try encoder.encode(nil) }
}
