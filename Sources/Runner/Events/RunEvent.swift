import Foundation
import Stages

/// Something that happened during `apply`, for the live display, plain log lines and the JSON event stream.
/// One flat shape with optional fields, so each JSON line is easy to read with `jq`.
public struct RunEvent: Sendable, Codable, Equatable {
    /// What happened; each kind fills the fields its case names.
    public enum Kind: String, Sendable, Codable {
        /// The run took the lock and starts: `pipeline`, `session`.
        case runStarted
        /// A stage's work is known: `total` items, `cached` of them already done.
        case stageStarted
        /// An item began (submitting, rendering, merging or uploading).
        case itemStarted
        /// A paid task exists and is recorded: `taskID`, `credits` and `estimatedCredits` (the estimate: the most it can cost).
        case itemSubmitted
        /// An item resumes a task a previous run paid for: `taskID`.
        case itemResumed
        /// The provider's status: `status` (PENDING, THROTTLED, RUNNING) and `progress` 0...1.
        case itemStatus
        /// An item is done: `location`, `credits` (charged: Runway's final cost), `estimatedCredits`, `refundedCredits`.
        case itemSucceeded
        /// An item failed: `reason`; `skipped` when the stage goes on without it.
        case itemFailed
        /// A stage finished: `total`, `succeeded`, `failed`.
        case stageFinished
        /// The video is at `location`; `link` until `expires` when presigned.
        case published
        /// Something went wrong that does not stop the run: `reason`.
        case warning
        /// The run ended: `outcome` (succeeded, failed, interrupted) and `reason` when it did not succeed; `credits`
        /// (charged), `estimatedCredits`, `refundedCredits`.
        case runFinished
    }

    /// When it happened.
    public var time: Date
    public var kind: Kind
    public var pipeline: String?
    public var session: String?
    public var stage: String?
    public var item: String?
    public var taskID: String?
    public var status: String?
    public var progress: Double?
    public var total: Int?
    public var cached: Int?
    public var succeeded: Int?
    public var failed: Int?
    /// Credits charged (Runway's final cost), or an estimate on `itemSubmitted`.
    public var credits: Double?
    /// The estimate: the most the task(s) could cost.
    public var estimatedCredits: Double?
    /// Estimated credits not charged (refunds).
    public var refundedCredits: Double?
    public var location: String?
    public var link: String?
    public var expires: Date?
    public var reason: String?
    public var skipped: Bool?
    public var outcome: String?
    /// On `runFinished`: the whole summary.
    public var summary: RunSummary?
    /// On `runFinished`: the run record, when the publish stage makes one.
    public var record: RunRecord?

    /// An event of `kind`, now; the other fields are set by the caller.
    public init(_ kind: Kind, stage: String? = nil, item: String? = nil) {
        time = Date()
        self.kind = kind
        self.stage = stage
        self.item = item
    }
}

/// Where events go; called from many tasks at once, so it must be thread-safe.
public typealias RunEventSink = @Sendable (RunEvent) -> Void
