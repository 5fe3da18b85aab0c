import Foundation
import Stages

extension RunEvent {
    /// What an item's provider (or the runner) is doing, as events show it.
    public enum Status: String, Sendable, Equatable {
        case pending = "PENDING", throttled = "THROTTLED", running = "RUNNING", downloading = "DOWNLOADING", merging =
            "MERGING"
    }

    /// What a paid item cost: credits charged (the provider's final cost), the estimate (the most it could cost),
    /// the difference handed back, and its task; whether it resumed an earlier run's task, and the failed tasks
    /// retried and ambiguous submissions re-sent on the way (the summary counts them from here).
    public struct Charges: Sendable, Equatable {
        public var credits: Double
        public var estimatedCredits: Double
        public var refundedCredits: Double
        public var taskID: String?
        public var resumed: Bool
        public var retries: Int
        public var ambiguousPosts: Int

        /// Charges.
        public init(
            credits: Double, estimatedCredits: Double, refundedCredits: Double, taskID: String?, resumed: Bool = false,
            retries: Int = 0, ambiguousPosts: Int = 0
        ) {
            self.credits = credits
            self.estimatedCredits = estimatedCredits
            self.refundedCredits = refundedCredits
            self.taskID = taskID
            self.resumed = resumed
            self.retries = retries
            self.ambiguousPosts = ambiguousPosts
        }
    }

    /// One fact of a run, with exactly what it says.
    public enum Fact: Sendable, Equatable {
        /// The run took the lock and starts.
        case runStarted(pipeline: String, session: String)
        /// A stage's work is known: `total` items, `cached` of them already done.
        case stageStarted(stage: String, total: Int, cached: Int)
        /// An item began (submitting, rendering, merging or uploading).
        case itemStarted(stage: String, item: String)
        /// An item resumes a task a previous run paid for.
        case itemResumed(stage: String, item: String, taskID: String?)
        /// A paid task exists and is recorded; `credits` is its estimate, the most it can cost.
        case itemSubmitted(stage: String, item: String, taskID: String, credits: Double)
        /// Where an item has got to, with progress 0...1 when known.
        case itemStatus(stage: String, item: String, status: Status, progress: Double?)
        /// An item is done, its output at `location`; what it cost, when it paid a provider.
        case itemSucceeded(stage: String, item: String, location: String, charges: Charges?)
        /// An item failed; `skipped` when the stage goes on without it.
        case itemFailed(stage: String, item: String, reason: String, skipped: Bool)
        /// An item announced started (or resumed) ended unmade, neither succeeded nor failed: the run stopped first (a
        /// budget or an account's daily allowance met, another stage's failure, an interruption); `reason` says why and
        /// what the next run does. Every `itemStarted` and `itemResumed` ends in `itemSucceeded`, `itemFailed` or this.
        case itemStopped(stage: String, item: String, reason: String)
        /// A stage finished: of its `total` items, `succeeded`, `failed` and `notStarted` (never started, or stopped
        /// unmade), which add up to `total`.
        case stageFinished(stage: String, total: Int, succeeded: Int, failed: Int, notStarted: Int = 0)
        /// A stage did not start: a stage it needs did not finish (`reason` says which). Its `total` items, when known,
        /// are counted as not started; a stage still waiting for its inputs (its items not known) counts as one.
        case stageNotStarted(stage: String, total: Int?, reason: String)
        /// The video is at `location`; `link` until `expires` when presigned.
        case published(stage: String, location: String, link: String?, expires: Date?)
        /// Something went wrong that does not stop the run.
        case warning(stage: String, reason: String)
        /// The run ended: its summary (outcome, reason, credits, the output, the run record).
        case runFinished(RunSummary)

        /// The fact's kind.
        public var kind: Kind {
            switch self {
            case .runStarted: return .runStarted
            case .stageStarted: return .stageStarted
            case .itemStarted: return .itemStarted
            case .itemResumed: return .itemResumed
            case .itemSubmitted: return .itemSubmitted
            case .itemStatus: return .itemStatus
            case .itemSucceeded: return .itemSucceeded
            case .itemFailed: return .itemFailed
            case .itemStopped: return .itemStopped
            case .stageFinished: return .stageFinished
            case .stageNotStarted: return .stageNotStarted
            case .published: return .published
            case .warning: return .warning
            case .runFinished: return .runFinished
            }
        }

        /// The stage it concerns.
        public var stage: String? {
            switch self {
            case .runStarted, .runFinished: return nil
            case .stageStarted(let stage, _, _), .itemStarted(let stage, _), .itemResumed(let stage, _, _),
                .itemSubmitted(let stage, _, _, _), .itemStatus(let stage, _, _, _), .itemSucceeded(let stage, _, _, _),
                .itemFailed(let stage, _, _, _), .itemStopped(let stage, _, _), .stageFinished(let stage, _, _, _, _),
                .stageNotStarted(let stage, _, _), .published(let stage, _, _, _),
                .warning(let stage, _):
                return stage
            }
        }

        /// The item it concerns (a publish's is its stage).
        public var item: String? {
            switch self {
            case .runStarted, .runFinished, .stageStarted, .stageFinished, .stageNotStarted, .warning: return nil
            case .itemStarted(_, let item), .itemResumed(_, let item, _), .itemSubmitted(_, let item, _, _),
                .itemStatus(_, let item, _, _), .itemSucceeded(_, let item, _, _), .itemFailed(_, let item, _, _),
                .itemStopped(_, let item, _):
                return item
            case .published(let stage, _, _, _): return stage
            }
        }
    }
}
