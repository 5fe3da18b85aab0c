/// Request coalescing ("single flight"): callers asking for the same key while its work is under way share that work
/// and its result, instead of each starting their own. A burst of `list_frames` for one user costs one S3 listing and
/// one set of links; each answer is at most one listing's time older than its request. Nothing is kept once the work
/// ends: the next caller starts it afresh.
actor Coalescing<Key: Hashable & Sendable, Value: Sendable> {
    private var underWay: [Key: Task<Value, any Error>] = [:]

    /// The result of `work` for `key`: started here, or that of the work already under way for it.
    func value(for key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let running = underWay[key] { return try await running.value }
        let task = Task { try await work() }
        underWay[key] = task
        defer { underWay[key] = nil }
        return try await task.value
    }
}
