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

        /// An item.
        public init(item: String, action: Action, reason: String? = nil, taskID: String? = nil, location: String? = nil,
                    credits: Double = 0) {
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

    public var pipeline: String
    public var session: String
    public var stages: [Stage]
    /// Credits of the new generations.
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
