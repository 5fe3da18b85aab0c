import Synchronization

/// How many runs plan at once (list their frames, read their checkpoints, check their frames, read the account),
/// the rest waiting in the order they were asked for. Fifty runs planning together share S3 fifty ways and all
/// finish late, the account idle until the first does; a few at a time, the first submits at once and the others
/// plan while its tasks run. A run leaves the window once its plan is made (`EngineOptions.planned`) or it ends.
actor PlanningWindow {
    /// Runs planning at once: enough to keep S3 busy while the first runs' tasks go.
    static let standard = 4

    private let limit: Int
    private var planning = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int = PlanningWindow.standard) { self.limit = max(1, limit) }

    /// Waits for a place, and returns it, to be left once.
    func enter() async -> Place {
        if planning < limit {
            planning += 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        return Place(window: self)
    }

    fileprivate func leave() {
        if waiting.isEmpty { planning -= 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs planning now (for tests).
    var planningCount: Int { planning }

    /// One run's place: `leave()` gives it back the first time it is called, from any context.
    final class Place: Sendable {
        private let window: PlanningWindow
        private let held = Mutex(true)

        fileprivate init(window: PlanningWindow) { self.window = window }

        func leave() {
            guard
                held.withLock({ held in
                    defer { held = false }
                    return held
                })
            else { return }
            Task { await window.leave() }
        }
    }
}
