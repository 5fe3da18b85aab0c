import Manifest

/// How a stage's pending items are run: under which provider's limit, how many at once, and how long each takes
/// as a rule (for a plan's wall-time estimate).
public struct StageSchedule: Sendable {
    /// The provider whose concurrency holds across every stage that uses it; nil for the runner's own work.
    public var provider: Provider?
    /// The model the items are made with, for an account's per-model limits and the plan's prices.
    public var model: String?
    /// The stage's own `concurrency`, when the manifest sets one.
    public var concurrency: Int?
    /// Typical seconds per item.
    public var typicalSeconds: Double

    /// A schedule; without a provider, items run one at a time.
    public init(provider: Provider? = nil, model: String? = nil, concurrency: Int? = nil, typicalSeconds: Double) {
        self.provider = provider
        self.model = model
        self.concurrency = concurrency
        self.typicalSeconds = typicalSeconds
    }
}
