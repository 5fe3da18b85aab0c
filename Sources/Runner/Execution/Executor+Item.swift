import Foundation
import Manifest
import Stages

extension Executor {
    /// Makes one item in its slot: the stage's work with its records, and the outcome in the summary.
    func make<Stage: PipelineStage>(
        _ index: Int, of planned: PlannedItems<Stage>, in context: StageContext,
        slot: Slot
    ) async -> ItemOutcome {
        let stage = planned.stage
        let item = planned.items[index]
        let name = item.name
        guard !Task.isCancelled, control.stopReason == nil else { return .notDone }
        var resume: (taskID: String, record: CheckpointRecord)?
        if case .resume(let taskID, let record) = planned.decisions[index] { resume = (taskID, record) }
        let paying = stage.schedule.provider != nil
        emit(
            resume.map { .itemResumed(stage: stage.name, item: name, taskID: $0.taskID) }
                ?? .itemStarted(stage: stage.name, item: name))
        let recorder = ItemRecorder(
            run: self, item: item, stage: stage.name, schedule: stage.schedule, slot: slot, resume: resume)
        let earlierEstimate = recorder.earlierEstimate
        do {
            let made = try await stage.make(item, in: context, run: recorder)
            // The clip's record replaces its `submitted` one, so it waits for that to land (had it failed, this one
            // still records the task and its clip).
            _ = await recorder.recorded()
            let state = recorder.settle()
            var record = recorder.base
            record.state = .succeeded
            record.output = made.artifact
            if paying {
                record.taskID = made.taskID
                record.credits = state.total
                record.estimatedCredits = state.estimated + (resume != nil ? (earlierEstimate ?? 0) : 0)
                if made.chargesKnown, resume == nil || state.resumedCharge != nil {
                    record.chargedCredits = state.charged + (state.resumedCharge ?? 0)
                }
            }
            do {
                try await checkpoints.write(record)
            } catch {
                // A paid task's `submitted` record stays: the next run resumes the task and records its output.
                return failed(
                    ItemFailure(.local, reason: "\(error)", taskID: state.taskID).description, item: name, stage: stage)
            }
            // The summary counts the item (generated, resumed, retries; or the stage as run) from this event.
            let charges =
                paying
                ? RunEvent.Charges(
                    credits: state.charged, estimatedCredits: state.estimated,
                    refundedCredits: max(0, state.estimated - state.charged), taskID: made.taskID,
                    resumed: resume != nil, retries: made.failedAttempts,
                    ambiguousPosts: made.ambiguousRetries) : nil
            emit(
                .itemSucceeded(
                    stage: stage.name, item: name, location: made.artifact.location.description, charges: charges))
            return .made(made.artifact, record)
        } catch {
            // Whatever ends the item, a paid task's `submitted` record is in the state before it ends.
            let unrecorded = await recorder.recorded()
            let state = recorder.settle()
            var failure = error
            failure.taskID = failure.taskID ?? state.taskID
            if let unrecorded, failure.kind == .local {
                failure = ItemFailure(
                    .local,
                    reason: failure.reason + "; its task could not be recorded in the state either (\(unrecorded))",
                    taskID: failure.taskID)
            }
            if Task.isCancelled { return stopped(name, stage: stage.name, taskID: state.taskID) }
            switch failure.kind {
            case .cancelled:
                return stopped(name, stage: stage.name, taskID: state.taskID)
            case .notPaid:
                // A retry refused after a failed task: its failure ends the item.
                if state.taskID != nil {
                    report(failure: failure.reason, item: name, stage: stage)
                    return .notDone
                }
                return stopped(name, stage: stage.name, taskID: nil)
            case .local:
                // A failure outside the provider after a task was submitted (a failed upload, state unreachable)
                // leaves the `submitted` record in place: the next run resumes the paid task instead of paying again.
                return failed(failure.description, item: name, stage: stage)
            case .provider(let retryable):
                let reason = failure.description
                var record = recorder.base
                record.state = .failed
                record.taskID = state.taskID
                record.credits = state.total
                record.estimatedCredits = state.estimated + (resume != nil ? (earlierEstimate ?? 0) : 0)
                record.chargedCredits = state.submitted ? nil : state.charged + (state.resumedCharge ?? 0)
                record.failure = .init(reason: reason, retryable: retryable)
                do {
                    try await checkpoints.write(record)
                } catch {
                    return failed(reason + "; its failure could not be recorded: \(error)", item: name, stage: stage)
                }
                return failed(reason, item: name, stage: stage)
            }
        }
    }

    /// Ends an announced item the run stopped before it was made (`itemStopped`), saying why and what the next run does.
    func stopped(_ item: String, stage: String, taskID: String?) -> ItemOutcome {
        let next = taskID == nil ? "the next run makes it" : "the next run resumes its task"
        let reason: String
        switch control.stopReason {
        case .budget(let text)?, .limit(let text)?:
            reason = text
        case .failed(let text)?:
            reason = "not made: the run stopped (\(text)); \(next)"
        case .interrupted?, nil:
            reason = "interrupted; \(next)"
        }
        emit(.itemStopped(stage: stage, item: item, reason: reason))
        return .notDone
    }
}
