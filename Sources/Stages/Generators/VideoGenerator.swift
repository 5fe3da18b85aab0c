import Foundation
import Manifest

/// Where a frame's image is, as a generator needs it.
public enum FrameSource: Sendable, Equatable {
    /// A file on this machine.
    case file(path: String)
    /// A link the provider can fetch (an S3 frame's presigned GET).
    case link(URL)
}

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
    /// Asked before every paid submission with its estimated credits (a retry's too); false refuses it,
    /// and the generation fails with `StageError.budgetExhausted`. Nil allows every submission.
    public var authorizeSubmission: (@Sendable (_ estimatedCredits: Double) async -> Bool)?
    /// A sound track, for the models that take `audio` (sent to them always, with this value).
    public var audio = false
    /// Told when a task of this clip ends with its final charge (`cost.credits`; 0 when refunded), a failed
    /// retry's too, with the estimate it had; so that budgets count charges, not estimates, as soon as they are known.
    public var onCharged: (@Sendable (_ taskID: String, _ estimatedCredits: Double, _ chargedCredits: Double) -> Void)?
    /// Told when an expired output link was replaced by a fresh one (a free read; no new task).
    public var onLinkRefreshed: (@Sendable () -> Void)?

    public init(frame: FrameSource, frameName: String, model: String, ratio: Ratio, duration: Int,
                prompt: String? = nil, seed: UInt32? = nil, resumeTaskID: String? = nil, retries: Int = 0) {
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

/// What a generation reports while it runs.
public enum GenerationEvent: Sendable, Equatable {
    /// Accepted, waiting for a worker.
    case pending
    /// Accepted, held back by the provider's concurrency limit; starts by itself.
    case throttled
    /// Running, with progress 0...1 when the provider tells it.
    case running(progress: Double?)
    /// The provider has finished its part (the task SUCCEEDED); the clip is being fetched. Its
    /// concurrency slot is free from here on.
    case generated
}

/// What a finished generation cost and how it went.
public struct GenerationResult: Sendable, Equatable {
    /// The provider's task, when there is one.
    public var taskID: String?
    /// Credits this generation's tasks were charged (Runway's final `cost`), or their estimate where no final cost is known.
    public var credits: Double
    /// The estimates (the most each task could cost) of this generation's tasks.
    public var estimatedCredits: Double = 0
    /// Whether every task's final cost is known (`credits` is then exactly what was charged).
    public var chargesKnown = true
    /// Expired output links replaced by fresh ones.
    public var linkRefreshes = 0
    /// POSTs retried after their answer was lost: each may have created (and billed) another task.
    public var ambiguousRetries: Int
    /// Tasks that failed retryably before the one that made the clip.
    public var failedAttempts: Int

    public init(taskID: String?, credits: Double, ambiguousRetries: Int = 0, failedAttempts: Int = 0) {
        self.taskID = taskID
        self.credits = credits
        self.ambiguousRetries = ambiguousRetries
        self.failedAttempts = failedAttempts
    }
}

/// A provider of clips: Runway, the local Ken Burns generator, or the next one (one type and one registry line).
public protocol VideoGenerator: Sendable {
    /// Whether an S3 frame may be given as a link (Runway fetches it); otherwise it is downloaded first.
    var acceptsFrameLinks: Bool { get }

    /// Makes the clip of `job` at `output` (an MP4).
    ///
    /// `onSubmitted` runs once a paid task exists and before its first poll, so that the caller can
    /// record the task id: a run killed after that point resumes the task instead of paying again.
    func generate(_ job: GenerationJob, to output: URL,
                  onSubmitted: @Sendable (_ taskID: String, _ estimatedCredits: Double?) async throws -> Void,
                  events: @Sendable (GenerationEvent) -> Void) async throws -> GenerationResult
}
