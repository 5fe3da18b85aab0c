import Foundation

/// The run record: what a finished apply produced, for the user's app to store or receive.
/// Its JSON Schema is docs/run-record.schema.json; `version` changes when a field changes meaning.
public struct RunRecord: Codable, Sendable, Equatable {
    /// The manifest that was applied.
    public struct ManifestSource: Codable, Sendable, Equatable {
        public var path: String
        /// SHA-256 of the manifest's bytes.
        public var sha256: String
        /// The commit checked out in the manifest's git repository, when it is in one.
        public var gitCommit: String?
    }

    /// The published video.
    public struct Video: Codable, Sendable, Equatable {
        public var location: String
        public var size: Int64
        public var sha256: String
        public var duration: Double?
        /// A time-limited GET link, when the publish stage asks for one.
        public var link: String?
        public var linkExpires: Date?
        /// Each frame beside its clip's middle frame, next to the video.
        public var contactSheet: String?
    }

    /// One clip of the film.
    public struct Clip: Codable, Sendable, Equatable {
        public var stage: String
        public var frame: String
        /// The frame's location.
        public var frameLocation: String?
        /// The clip's key (see docs/engine.md).
        public var key: String
        public var taskID: String?
        public var location: String
        public var duration: Double?
        /// Credits the clip cost, in whichever run made it: the final charge where known, else the estimate.
        public var credits: Double
        /// The estimate of the clip's tasks: the most they could cost. Nil for clips recorded before it was kept.
        public var estimatedCredits: Double?
        /// What Runway finally charged for the clip's tasks (0 when refunded), when known.
        public var chargedCredits: Double?

        /// A clip.
        public init(
            stage: String, frame: String, frameLocation: String?, key: String, taskID: String?, location: String,
            duration: Double?, credits: Double, estimatedCredits: Double?, chargedCredits: Double?
        ) {
            self.stage = stage
            self.frame = frame
            self.frameLocation = frameLocation
            self.key = key
            self.taskID = taskID
            self.location = location
            self.duration = duration
            self.credits = credits
            self.estimatedCredits = estimatedCredits
            self.chargedCredits = chargedCredits
        }
    }

    /// This run's figures.
    public struct Totals: Codable, Sendable, Equatable {
        /// Credits charged for the tasks this run submitted (final costs; the estimate of any still in flight).
        public var credits: Double
        public var dollars: Double
        /// The estimates of the tasks this run submitted: the most they could have cost.
        public var estimatedCredits: Double?
        /// Estimated credits that were not charged (refunds).
        public var refundedCredits: Double?
        public var wallSeconds: Double
        public var generated: Int
        public var skipped: Int
        public var resumed: Int
        public var failed: Int
        /// Tasks that failed retryably and were replaced by new ones.
        public var retries: Int
        /// POSTs retried after their answer was lost: each may have created an extra task.
        public var ambiguousPosts: Int
        /// Credits of every clip in the film, whichever run paid for it.
        public var filmCredits: Double

        /// Totals.
        public init(
            credits: Double, dollars: Double, estimatedCredits: Double?, refundedCredits: Double?, wallSeconds: Double,
            generated: Int, skipped: Int, resumed: Int, failed: Int, retries: Int, ambiguousPosts: Int,
            filmCredits: Double
        ) {
            self.credits = credits
            self.dollars = dollars
            self.estimatedCredits = estimatedCredits
            self.refundedCredits = refundedCredits
            self.wallSeconds = wallSeconds
            self.generated = generated
            self.skipped = skipped
            self.resumed = resumed
            self.failed = failed
            self.retries = retries
            self.ambiguousPosts = ambiguousPosts
            self.filmCredits = filmCredits
        }
    }

    public var version = 1
    public var pipeline: String
    public var session: String
    public var manifest: ManifestSource
    public var finished: Date
    public var video: Video
    public var clips: [Clip]
    /// Frames left out of the film (`onFailure: skip`), with the reason.
    public var skippedFrames: [FailedItem]
    public var totals: Totals

    /// Whether two records describe the same result (the same video, clips and link), whatever run wrote them.
    func describesSameResult(as other: RunRecord) -> Bool {
        var mine = self
        var theirs = other
        mine.finished = theirs.finished
        mine.totals = theirs.totals
        return mine == theirs
    }
}
