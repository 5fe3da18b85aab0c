import Foundation
import Manifest

/// One clip to make from one frame.
public struct GenerationJob: Sendable {
    public var frame: FrameSource
    /// A stable name for messages (the frame's file name).
    public var frameName: String
    public var model: String
    public var ratio: Ratio
    public var duration: Int
    public var prompt: String?
    public var seed: UInt32?
    /// A paid task already started for this clip: it is resumed by polling, never paid for again.
    public var resumeTaskID: String?
    /// New tasks allowed after a retryable failure (a quality rejection, an internal error, a broken output).
    public var retries: Int
    /// A sound track, for the models that take `audio` (sent to them always, with this value).
    public var audio = false
    /// The frame the clip ends on (`chain`), or nil for a clip of its frame alone.
    public var lastKeyframe: LastKeyframe?

    /// The frame a chained clip ends on.
    public struct LastKeyframe: Sendable {
        public var frame: FrameSource
        /// Its file name, for messages (and Ken Burns's seed when the stage gives none).
        public var frameName: String
        /// The seed of the last frame's own clip, when the stage or an override gives one.
        public var seed: UInt32?

        public init(frame: FrameSource, frameName: String, seed: UInt32? = nil) {
            self.frame = frame
            self.frameName = frameName
            self.seed = seed
        }
    }

    public init(
        frame: FrameSource, frameName: String, model: String, ratio: Ratio, duration: Int,
        prompt: String? = nil, seed: UInt32? = nil, resumeTaskID: String? = nil, retries: Int = 0
    ) {
        self.frame = frame
        self.frameName = frameName
        self.model = model
        self.ratio = ratio
        self.duration = duration
        self.prompt = prompt
        self.seed = seed
        self.resumeTaskID = resumeTaskID
        self.retries = retries
    }
}
