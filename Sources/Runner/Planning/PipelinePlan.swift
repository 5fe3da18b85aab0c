import Foundation

/// What `apply` would do, item by item: the output of `runner plan`.
public struct PipelinePlan: Sendable, Codable {
    /// One item's intended action.
    public struct Item: Sendable, Codable, Equatable {
        public enum Action: String, Sendable, Codable {
            /// `+`: made for the first time.
            case create
            /// `~`: made again, with `reason` (its prompt changed, its output is gone...).
            case regenerate
            /// `=`: done before; nothing to do.
            case cached
            /// `>`: a paid task exists; it is polled, not paid for again.
            case resume
            /// `!`: failed for good before; not tried again without `--retry-failed`.
            case failed
            /// `x`: refused, never made: a frame whose name could lead a path out of its folder (`reason` says why).
            case refused
            /// `!`: a frame the runner will not use: empty, truncated, undecodable, too large or of an unusable shape
            /// (`reason` says which); apply refuses to start under `onFailure: fail` and leaves it out under `skip`.
            case unusable
            /// `-`: a file the listing left out, not a frame (a sidecar, a hidden file, another type; `reason` says which).
            case skipped
        }

        public var item: String
        public var action: Action
        public var reason: String?
        public var taskID: String?
        /// Where the output is or will be.
        public var location: String?
        /// Credits a new generation is expected to cost.
        public var credits: Double
        /// The item whose output serves this one too (identical content and options: made once, used for both).
        public var sameAs: String?

        /// An item.
        public init(
            item: String, action: Action, reason: String? = nil, taskID: String? = nil, location: String? = nil,
            credits: Double = 0
        ) {
            self.item = item
            self.action = action
            self.reason = reason
            self.taskID = taskID
            self.location = location
            self.credits = credits
        }

        /// Whether apply would do anything for it.
        public var isPending: Bool { action == .create || action == .regenerate || action == .resume }
    }

    /// One stage's items.
    public struct Stage: Sendable, Codable {
        public var name: String
        public var type: String
        /// A line about the stage as a whole ("5 frames at ./frames/", "provider runway, 3 in flight").
        public var summary: String
        public var items: [Item]
    }

    /// What earlier runs' clips of one model were estimated (their maximum) and really charged.
    public struct ModelCost: Sendable, Codable, Equatable {
        public var model: String
        public var clips = 0
        public var estimatedCredits = 0.0
        public var chargedCredits = 0.0

        public init(model: String) { self.model = model }

        mutating func add(estimated: Double, charged: Double) {
            clips += 1
            estimatedCredits += estimated
            chargedCredits += charged
        }

        /// Charged over estimated: 1 when Runway charged every maximum.
        public var chargedShare: Double { estimatedCredits > 0 ? chargedCredits / estimatedCredits : 1 }
    }

    public var pipeline: String
    public var session: String
    public var stages: [Stage]
    /// Per model with pending clips: what its earlier clips were estimated and charged (from the checkpoint records).
    public var history: [ModelCost] = []
    /// The credits the pending clips would cost at the share of their maximum that earlier runs of their models were
    /// charged; nil when no earlier run of those models recorded a final charge.
    public var expectedCredits: Double?
    /// Things apply would meet: an account's daily limit smaller than the pending clips, an account that could not be read.
    public var warnings: [String] = []
    /// Credits of the new generations, at most (the catalog's price with each clip's options: Runway's estimate).
    public var credits: Double
    public var dollars: Double
    /// A rough wall time for the pending work, from the providers' concurrency and typical times.
    public var estimatedSeconds: Double
    public var maxCredits: Double?

    /// Whether apply would do anything.
    public var hasPendingWork: Bool { stages.contains { $0.items.contains(where: \.isPending) } }

    /// Items per action, over every stage.
    public func count(_ action: Item.Action) -> Int {
        stages.reduce(0) { $0 + $1.items.filter { $0.action == action }.count }
    }
}
