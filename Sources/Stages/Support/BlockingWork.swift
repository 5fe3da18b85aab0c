import Foundation
import Synchronization

/// Runs blocking work (libav's encoders and muxers) on a thread of its own, off Swift's cooperative
/// pool: a pool thread held for seconds would stall every poll, upload and progress line behind it.
public enum BlockingWork {
    /// Runs `body` on a new thread and waits for it. When the calling task is cancelled, `shouldStop`
    /// (which `body` polls) turns true, so the work stops early and cleans up after itself.
    public static func run<Value: Sendable>(
        _ body: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> Value
    ) async throws -> Value {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try body { stop.isSet } })
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
    }
}

/// A flag set once from any thread and read from another.
final class StopFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var isSet: Bool { state.load(ordering: .acquiring) }

    func set() { state.store(true, ordering: .releasing) }
}
