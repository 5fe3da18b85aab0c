import Foundation
import Stages

/// What a run did: the table `apply` ends with, and the run's last JSON event.
public struct RunSummary: Sendable, Codable, Equatable {
    /// An item that failed, and why.
    public typealias Failure = FailedItem

    /// How the run ended: the exit status follows it (0, 1, 130).
    public enum Outcome: String, Sendable, Codable {
        case succeeded, failed, interrupted
    }

    public var pipeline: String
    public var session: String
    public var outcome: Outcome = .succeeded
    /// Why the run stopped early, when it did.
    public var reason: String?
    /// Clips generated in this run.
    public var generated = 0
    /// Clips done before and skipped.
    public var skipped = 0
    /// Clips that resumed a task a previous run paid for.
    public var resumed = 0
    /// Merge and publish stages that ran in this run.
    public var stagesRun: [String] = []
    /// Merge and publish stages whose result was done before.
    public var stagesSkipped: [String] = []
    public var failures: [Failure] = []
    /// Problems that did not stop the run (a contact sheet that could not be made).
    public var warnings: [String] = []
    /// Items not started (the run stopped first).
    public var notStarted = 0
    /// Credits charged for the tasks this run submitted: Runway's final `cost` of each finished task, and the
    /// estimate (the most it can cost) of any still in flight when the run ended.
    public var credits = 0.0
    /// The estimates of the tasks this run submitted: the most they could have cost.
    public var estimatedCredits = 0.0
    /// Credits handed back: the estimates of the finished tasks less their final charges (refunds of failed tasks included).
    public var refundedCredits = 0.0
    /// Expired output links replaced by fresh ones (free reads; no new task).
    public var refreshedLinks = 0
    public var dollars = 0.0
    public var wallSeconds = 0.0
    /// Tasks that failed retryably and were replaced by new ones.
    public var retries = 0
    /// POSTs retried after their answer was lost: each may have created an extra task.
    public var ambiguousPosts = 0
    /// Where the finished video is.
    public var output: String?
    public var link: String?
    public var linkExpires: Date?
    /// The run record, when the publish stage writes one or posts it to a webhook.
    public var record: RunRecord?
    /// Where the record was written.
    public var recordLocation: String?
    /// The contact sheet next to the video.
    public var contactSheet: String?

    init(pipeline: String, session: String) {
        self.pipeline = pipeline
        self.session = session
    }
}
