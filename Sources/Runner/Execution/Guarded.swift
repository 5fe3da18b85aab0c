import Synchronization

/// A value shared by many tasks, changed under a lock.
final class Guarded<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: sending Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    func update<Result>(_ change: (inout Value) -> Result) -> Result { state.withLock { change(&$0) } }
}

/// The run's summary, updated from many tasks.
typealias Tally = Guarded<RunSummary>
