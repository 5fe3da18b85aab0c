import Foundation
import Stages
import Synchronization

/// A counting semaphore for tasks: at most `limit` holders, the rest wait in order (a provider's concurrency).
actor Limiter {
    private let limit: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(limit, 1) }

    func acquire() async {
        if holders < limit {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { holders -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// The places an item holds: its stage's lane from the start, and its provider's place (the account's window) from
/// `acquireProvider()` on, which a paying item calls only when it is about to submit, so that fetching and preparing
/// its frame never keeps a place the provider could be working in. Given back once: when the provider has finished
/// its part, or when the item ends, whichever comes first.
actor Slot {
    private let lane: any ConcurrencyGate
    private let provider: (any ConcurrencyGate)?
    private let staging: (any ConcurrencyGate)?
    private var holdsLane = true
    private var holdsProvider = false
    private var holdsStaging = false

    /// `lane` is already held (taken in item order by the stage); `provider`, if any, is taken later; `staging`, if
    /// any, is taken before the item prepares its work and left when it takes its provider's place.
    init(lane: any ConcurrencyGate, provider: (any ConcurrencyGate)?, staging: (any ConcurrencyGate)? = nil) {
        self.lane = lane
        self.provider = provider
        self.staging = staging
    }

    /// Waits for a place among the items preparing to submit (`PipelineEngine.stagingGate`), when there is a limit.
    func acquireStaging() async {
        guard let staging, !holdsStaging, !holdsProvider else { return }
        holdsStaging = true
        await staging.acquire()
    }

    /// Waits for the provider's place, unless the item holds it already (a retry of its submission); then leaves the
    /// staging window, so the next item starts preparing.
    func acquireProvider() async {
        guard let provider, !holdsProvider else { return }
        holdsProvider = true
        await provider.acquire()
        await leaveStaging()
    }

    private func leaveStaging() async {
        guard holdsStaging, let staging else { return }
        holdsStaging = false
        await staging.release()
    }

    /// Whether the item holds its provider's place now (for tests).
    var holdsProviderPlace: Bool { holdsProvider }

    func release() async {
        await leaveStaging()
        if holdsLane {
            holdsLane = false
            await lane.release()
        }
        if holdsProvider, let provider {
            holdsProvider = false
            await provider.release()
        }
    }

    /// `release()` from synchronous code (an event callback).
    nonisolated func releaseSoon() {
        Task { await release() }
    }
}

/// Why a run stops submitting new work.
enum StopReason: Sendable, Equatable {
    case interrupted
    case failed(String)
    case budget(String)
    /// An account limit (Runway's daily generations) would be passed.
    case limit(String)
}

/// Whether the run may start new work; the first reason to stop wins.
final class RunControl: Sendable {
    private let state = Mutex<StopReason?>(nil)

    var stopReason: StopReason? { state.withLock { $0 } }

    func stop(_ reason: StopReason) {
        state.withLock { if $0 == nil { $0 = reason } }
    }
}

/// Credits committed against `budget.maxCredits`: charged for finished tasks (their final cost), reserved at their
/// maximum (the estimate) for tasks in flight.
final class CreditLedger: Sendable {
    private let limit: Double?
    private let state = Mutex<(spent: Double, reserved: Double)>((0, 0))

    init(limit: Double?) { self.limit = limit }

    /// Reserves `credits` for a submission, or refuses when that would pass the limit.
    func reserve(_ credits: Double) -> Bool {
        state.withLock { state in
            if let limit, state.spent + state.reserved + credits > limit + 1e-9 { return false }
            state.reserved += credits
            return true
        }
    }

    /// Replaces a reservation by another for the same task (Runway's own estimate for the catalog's), even past the
    /// limit: the task exists, and its maximum is what it may cost.
    func replace(reserved old: Double, with new: Double) {
        state.withLock { $0.reserved += new - old }
    }

    /// Replaces a reservation with what was spent.
    func settle(reserved: Double, spent: Double) {
        state.withLock { state in
            state.reserved -= reserved
            state.spent += spent
        }
    }

    var spent: Double { state.withLock { $0.spent } }
}

/// Each stage's outputs once it finishes, for the stages that need it.
actor StageBoard {
    enum Outcome: Sendable {
        case finished([Artifact])
        /// The stage did not finish; dependents do not run.
        case halted(String)
    }

    private var outcomes: [String: Outcome] = [:]
    private var waiting: [String: [CheckedContinuation<Outcome, Never>]] = [:]

    func outcome(of stage: String) async -> Outcome {
        if let outcome = outcomes[stage] { return outcome }
        return await withCheckedContinuation { waiting[stage, default: []].append($0) }
    }

    func finish(_ stage: String, _ outcome: Outcome) {
        guard outcomes[stage] == nil else { return }
        outcomes[stage] = outcome
        for waiter in waiting.removeValue(forKey: stage) ?? [] { waiter.resume(returning: outcome) }
    }
}
