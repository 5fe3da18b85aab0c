import Manifest

/// Keyframe chains (issue #18): which frames each clip starts and ends on.
extension GenerateStage {
    /// One clip's keyframes: the frame it starts on and, in a chain, the frame it ends on.
    public struct Keyframes: Sendable {
        public let first: Artifact
        /// The next frame (`chain`), or nil for a clip of its frame alone.
        public let last: Artifact?
    }

    /// Each clip's keyframes, in film order: one clip per frame unchained; with `chain: true` clip i goes from frame
    /// i to frame i+1 (N frames, N-1 clips; the last frame only ends the clip before it); with `chain: loop` the
    /// last clip goes back to the first frame (N clips; one frame makes a clip from the frame back to itself).
    /// Frames the intake left out (`onFailure: skip`) are not in `frames`: the chain closes over them.
    /// Throws for `chain: true` over one frame: there is no next frame to end on.
    public func keyframes(of frames: [Artifact]) throws(StageError) -> [Keyframes] {
        switch options.chain {
        case .off:
            return frames.map { Keyframes(first: $0, last: nil) }
        case .open:
            if frames.count == 1 { throw .chainTooShort(stage: name, frame: frames[0].name) }
            return zip(frames, frames.dropFirst()).map { Keyframes(first: $0, last: $1) }
        case .loop:
            return frames.indices.map { Keyframes(first: frames[$0], last: frames[($0 + 1) % frames.count]) }
        }
    }

    /// A chained clip's name in plans, events and records: `a.jpg -> b.jpg`.
    static func chainedName(_ first: Artifact, _ last: Artifact) -> String { "\(first.name) -> \(last.name)" }

    /// The file name a frame's overrides are matched on.
    static func fileName(of frame: Artifact) -> String {
        frame.name.split(separator: "/").last.map(String.init) ?? frame.name
    }
}
