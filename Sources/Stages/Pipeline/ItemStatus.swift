/// Where a work item has got to, as the engine shows it.
public enum ItemStatus: Sendable, Equatable {
    /// Accepted by the provider, waiting for a worker.
    case pending
    /// Accepted, held back by the provider's concurrency limit; starts by itself.
    case throttled
    /// Running, with progress 0...1 when the provider tells it.
    case running(progress: Double?)
    /// Clips being joined: the share done, 0...1.
    case merging(progress: Double)
}
