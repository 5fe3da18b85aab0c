import Stages
import Synchronization

/// An `ItemRun` that grants every payment (or none) and keeps what it was told, for generator tests.
final class RecordingRun: ItemRun {
    /// One thing the generator told the run.
    enum Call: Sendable, Equatable {
        case status(ItemStatus)
        case providerFinished
    }

    private let calls = Mutex<[Call]>([])
    private let verdict: PaymentVerdict
    /// Runs when a task is reported paid, as a run records it before the first poll.
    private let onPaid: @Sendable (String, Double) async throws -> Void

    init(
        verdict: PaymentVerdict = .pay,
        onPaid: @escaping @Sendable (_ taskID: String, _ credits: Double) async throws -> Void = { _, _ in }
    ) {
        self.verdict = verdict
        self.onPaid = onPaid
    }

    /// What the generator reported, in order.
    var reported: [Call] { calls.withLock { $0 } }

    var resumedTask: String? { nil }
    func mayPay(_ credits: Double) async -> PaymentVerdict { verdict }
    func paid(taskID: String, credits: Double) async throws { try await onPaid(taskID, credits) }
    func charged(taskID: String, estimated: Double, charged: Double) {}
    func status(_ status: ItemStatus) { calls.withLock { $0.append(.status(status)) } }
    func providerFinished() { calls.withLock { $0.append(.providerFinished) } }
    func linkRefreshed() {}
    func warning(_ text: String) {}
}

/// A value shared with escaping closures, changed under a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
