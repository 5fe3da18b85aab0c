import Foundation
import Manifest
import Stages
import Synchronization

/// One work item's `ItemRun`: reserves each paid submission against the budget and the account's daily allowance,
/// journals each task before its first poll and records it beside it, settles charges, and turns the stage's news into events.
final class ItemRecorder: ItemRun {
    /// An item's paid work so far: its task, and the credits of this run's submissions and of earlier runs'.
    struct PaidWork: Sendable {
        var taskID: String?
        /// What earlier runs recorded for the clip (a resumed task's estimate, until its charge is known).
        var earlierCredits: Double
        /// The estimates of this run's tasks for the clip.
        var estimated = 0.0
        /// The final charges of this run's finished tasks.
        var charged = 0.0
        /// The budget reservation of the task being submitted or in flight (its maximum).
        var reserved = 0.0
        /// Whether `reserved` stands for a task that exists (submitted), not only a submission asked for.
        var submitted = false
        /// A resumed task's final charge, once known (it replaces the earlier run's estimate in the record).
        var resumedCharge: Double?

        /// The clip's credits for its record: final charges where known, the estimate of anything still open.
        var total: Double {
            (resumedCharge ?? earlierCredits) + charged + (submitted ? reserved : 0)
        }
    }

    private let run: Executor
    private let item: any WorkItem
    private let stage: String
    private let schedule: StageSchedule
    private let slot: Slot
    /// The record every write of this clip starts from (`submitted`, without a task yet).
    let base: CheckpointRecord
    /// The task a previous run paid for, resumed here.
    let resumedTask: String?
    /// What earlier runs estimated for the clip.
    let earlierEstimate: Double?
    private let state: Mutex<PaidWork>
    /// The write of the latest `submitted` record, under way or done.
    private let submittedRecord = Mutex<Task<Void, any Error>?>(nil)

    init(
        run: Executor, item: any WorkItem, stage: String, schedule: StageSchedule, slot: Slot,
        resume: (taskID: String, record: CheckpointRecord)?
    ) {
        self.run = run
        self.item = item
        self.stage = stage
        self.schedule = schedule
        self.slot = slot
        resumedTask = resume?.taskID
        earlierEstimate = resume?.record.estimatedCredits ?? resume?.record.credits
        state = Mutex(PaidWork(taskID: resume?.taskID, earlierCredits: resume?.record.credits ?? 0))
        base = CheckpointRecord(
            pipeline: run.pipeline.name, stage: stage, key: item.key.hex, item: item.name,
            state: .submitted, inputs: item.key.inputs, provider: schedule.provider?.name)
    }

    /// The paid work so far.
    var paidWork: PaidWork { state.withLock { $0 } }

    func mayPay(_ credits: Double) async -> PaymentVerdict {
        // The provider's place is taken here, when the frame is ready, not when the item starts (a no-op for a
        // retry that holds it). Then every paid submission, a retry's too, is reserved against the budget (at its
        // maximum) and counted against the account's daily generations.
        await slot.acquireProvider()
        guard !Task.isCancelled, run.control.stopReason == nil else { return .refused }
        if let provider = schedule.provider,
            let refusal = run.daily.take(provider: provider.name, model: schedule.model ?? "")
        {
            run.control.stop(.limit(refusal))
            return .refused
        }
        guard run.ledger.reserve(credits) else {
            run.control.stop(
                .budget(run.plan.creditLimitReached(at: item.name, budget: run.pipeline.budget.maxCredits)))
            return .refused
        }
        state.withLock {
            $0.reserved = credits
            $0.submitted = false
        }
        return .pay
    }

    func paid(taskID: String, credits maximum: Double) async throws {
        let (credits, reserved, estimated) = state.withLock { state in
            let reserved = state.reserved
            state.taskID = taskID
            state.estimated += maximum
            state.reserved = maximum
            state.submitted = true
            return (state.total, reserved, state.estimated)
        }
        // The provider's estimate is the task's maximum: the budget holds that until the final charge is known.
        run.ledger.replace(reserved: reserved, with: maximum)
        // Noted locally at once (a single append): a run killed from here on resumes this task. Its `submitted`
        // record goes to the state beside the first poll, not before it: one S3 PUT under load can outlast a short
        // task, and the account's place would idle until it lands. Every later record of the clip waits for it
        // (`recorded()`), so it never lands over them.
        run.engine.journal.append(.init(stage: stage, key: item.key.hex, taskID: taskID, credits: credits))
        var record = base
        record.taskID = taskID
        record.credits = credits
        record.estimatedCredits = estimated + (earlierEstimate ?? 0)
        let (checkpoints, submitted) = (run.checkpoints, record)
        // A retry's record follows its failed task's, in order (an item's submissions come one after another).
        let earlier = submittedRecord.withLock { $0 }
        let writing = Task {
            _ = await earlier?.result
            try await checkpoints.write(submitted)
        }
        submittedRecord.withLock { $0 = writing }
        run.emit(.itemSubmitted(stage: stage, item: item.name, taskID: taskID, credits: maximum))
    }

    /// Waits until the `submitted` records of this clip's tasks are in the state, before any later record of the clip
    /// and before the item ends (an interrupted run too); returns why the latest could not be written, if it could
    /// not (the task is in the local journal all the same).
    func recorded() async -> (any Error)? {
        guard let pending = submittedRecord.withLock({ $0 }) else { return nil }
        do {
            try await pending.value
            return nil
        } catch {
            return error
        }
    }

    func charged(taskID: String, estimated: Double, charged: Double) {
        // A task ended: its final charge replaces its reservation in the budget at once.
        let refunded = max(0, estimated - charged)
        if taskID == resumedTask {
            state.withLock { $0.resumedCharge = charged }
            return
        }
        let reserved = state.withLock { state in
            let reserved = state.reserved
            state.charged += charged
            state.reserved = 0
            state.submitted = false
            return reserved
        }
        run.ledger.settle(reserved: reserved, spent: charged)
        run.tally.update { $0.refundedCredits += refunded }
    }

    func status(_ status: ItemStatus) {
        switch status {
        case .pending: run.emit(.itemStatus(stage: stage, item: item.name, status: .pending, progress: nil))
        case .throttled: run.emit(.itemStatus(stage: stage, item: item.name, status: .throttled, progress: nil))
        case .running(let progress):
            run.emit(.itemStatus(stage: stage, item: item.name, status: .running, progress: progress))
        case .merging(let progress):
            run.emit(.itemStatus(stage: stage, item: item.name, status: .merging, progress: progress))
        }
    }

    func providerFinished() {
        slot.releaseSoon()
        run.emit(.itemStatus(stage: stage, item: item.name, status: .downloading, progress: nil))
    }

    func linkRefreshed() {
        run.tally.update { $0.refreshedLinks += 1 }
    }

    func warning(_ text: String) {
        run.warn(text, stage: stage)
    }

    /// Ends the clip's budget reservation: a task still in flight (its final charge unknown) counts at its maximum; a
    /// submission that created no task counts nothing. Returns the paid work as it ended.
    func settle() -> PaidWork {
        let final = state.withLock { $0 }
        run.ledger.settle(reserved: final.reserved, spent: final.submitted ? final.reserved : 0)
        return final
    }
}
