/// An item that failed, and why: in a run's summary, and in its record when the stage went on without it.
public struct FailedItem: Sendable, Codable, Equatable {
    public var stage: String
    public var item: String
    public var reason: String
    /// Whether the stage went on without it (`onFailure: skip`).
    public var skipped: Bool

    /// A failed item.
    public init(stage: String, item: String, reason: String, skipped: Bool) {
        self.stage = stage
        self.item = item
        self.reason = reason
        self.skipped = skipped
    }
}
