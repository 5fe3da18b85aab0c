/// Where a run is. `queued` and `running` runs are resumed by a restarted server; the others are final.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for an earlier run of the same state (they share the pipeline's lock) to end.
    case queued
    case running
    case succeeded
    case failed
    /// Cancelled by `POST /v1/runs/{id}/cancel`; what was in flight stays recorded, a new run resumes it.
    case cancelled

    public var isFinal: Bool { self != .queued && self != .running }
}
