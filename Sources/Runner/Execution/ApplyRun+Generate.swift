import Foundation
import Manifest
import Stages
import Storage
import Synchronization

extension ApplyRun {
    /// How one clip ended.
    enum ClipOutcome: Sendable {
        /// The clip, with its `succeeded` record.
        case made(Artifact, CheckpointRecord)
        case failed(String)
        /// Not started, or stopped by an interruption: nothing new was recorded.
        case notDone
    }

    /// A generate stage: cached clips handed on at once, the rest made in a sliding window of the stage's
    /// concurrency (the next clip is submitted the moment the provider finishes one), within the provider's limit.
    func generate(_ clips: PlannedItems<GenerateStage>) async -> StageBoard.Outcome {
        let stage = clips.stage
        let name = stage.name
        let generator: any VideoGenerator
        do {
            generator = try GeneratorRegistry.generator(for: stage.provider, environment: engine.options.environment)
        } catch {
            control.stop(.failed("stage `\(name)`: \(error)"))
            return halt(name, "\(error)")
        }
        var outcomes = [ClipOutcome?](repeating: nil, count: clips.items.count)
        var pending: [Int] = []
        for (index, decision) in clips.decisions.enumerated() {
            switch decision {
            case let .cached(artifact, record): outcomes[index] = .made(artifact, record)
            case let .failedBefore(reason): outcomes[index] = .failed("failed before: \(reason)")
            case .run, .resume: pending.append(index)
            case .sameAs: break
            }
        }
        let cachedCount = outcomes.filter { if case .made = $0 { return true } else { return false } }.count
        tally.update { $0.skipped += cachedCount }
        emit(.stageStarted, stage: name) {
            $0.total = clips.items.count
            $0.cached = cachedCount
        }
        for (index, outcome) in outcomes.enumerated() {
            if case let .failed(reason)? = outcome { report(failure: reason, item: clips.items[index].frame.name, stage: stage) }
        }

        // A sliding window: the stage's slot is taken here, in frame order, and freed the moment the
        // provider has finished the clip (its download and upload need no slot), so the next clip is
        // submitted at once. The provider's own limit holds across every stage that uses it.
        let lanes = engine.lanes(of: stage.schedule, accounts: accounts)
        let window = Limiter(limit: lanes)
        let provider = providerLimits[stage.provider.name] ?? Limiter(limit: engine.providerLimit(stage.provider, accounts: accounts))
        await withTaskGroup(of: (Int, ClipOutcome).self) { group in
            var inGroup = 0
            for index in pending {
                // Finished clips are collected as the window moves: a finished child task keeps its memory
                // until its result is taken (at 10,000 clips that was hundreds of megabytes).
                while inGroup >= 4 * lanes, let (done, outcome) = await group.next() {
                    outcomes[done] = outcome
                    inGroup -= 1
                }
                inGroup += 1
                await window.acquire()
                let slot = Slot([window, provider])
                group.addTask {
                    await provider.acquire()
                    let outcome = await makeClip(index, clips: clips, generator: generator, slot: slot)
                    await slot.release()
                    return (index, outcome)
                }
            }
            for await (index, outcome) in group { outcomes[index] = outcome }
        }

        for (index, decision) in clips.decisions.enumerated() {
            // An identical frame with identical options: the leader's clip serves both, made and paid for once.
            if case let .sameAs(leader, _) = decision {
                outcomes[index] = outcomes[leader]
                if case .made? = outcomes[leader] { tally.update { $0.skipped += 1 } }
                // Counted as the stage's event counts it, so the summary and the event agree (issue #14).
                if case let .failed(reason)? = outcomes[leader] { report(failure: reason, item: clips.items[index].frame.name, stage: stage) }
            }
        }
        var made: [Artifact] = []
        var failed = 0, notDone = 0
        for outcome in outcomes {
            switch outcome {
            case let .made(artifact, _)?: made.append(artifact)
            case .failed?: failed += 1
            case .notDone?, nil: notDone += 1
            }
        }
        tally.update { $0.notStarted += notDone }
        recordClips(of: stage.name, outcomes: outcomes)
        emit(.stageFinished, stage: name) {
            $0.total = clips.items.count
            $0.succeeded = made.count
            $0.failed = failed
        }
        if notDone > 0 { return .halted("\(notDone) clip\(notDone == 1 ? "" : "s") not made") }
        if failed > 0, stage.options.onFailure == .fail {
            return halt(name, "\(failed) clip\(failed == 1 ? "" : "s") failed")
        }
        return .finished(made)
    }

    /// Makes one clip in its slot: the generation with its records, and the outcome in the summary.
    func makeClip(_ index: Int, clips: PlannedItems<GenerateStage>, generator: any VideoGenerator, slot: Slot) async -> ClipOutcome {
        guard !Task.isCancelled, control.stopReason == nil else { return .notDone }
        var resume: (taskID: String, record: CheckpointRecord)?
        if case let .resume(taskID, record) = clips.decisions[index] { resume = (taskID, record) }
        return await generateClip(clips.items[index], stage: clips.stage, generator: generator, resume: resume, slot: slot)
    }

    private func generateClip(_ work: ClipWork, stage: GenerateStage, generator: any VideoGenerator,
                              resume: (taskID: String, record: CheckpointRecord)?, slot: Slot) async -> ClipOutcome {
        let item = work.frame.name
        guard !Task.isCancelled, control.stopReason == nil else { return .notDone }
        emit(resume == nil ? .itemStarted : .itemResumed, stage: stage.name, item: item) { $0.taskID = resume?.taskID }
        let recorder = ClipRecorder(run: self, work: work, stage: stage, slot: slot, resume: resume)
        let earlierEstimate = recorder.earlierEstimate
        do {
            let (clip, result) = try await stage.make(work, generator: generator, stores: engine.stores, workDirectory: scratch,
                                                      resumeTaskID: resume?.taskID, run: recorder)
            let state = recorder.settle()
            var record = recorder.base
            record.state = .succeeded
            record.taskID = result.taskID
            record.output = clip
            record.credits = state.total
            record.estimatedCredits = state.estimated + (resume != nil ? (earlierEstimate ?? 0) : 0)
            if result.chargesKnown, resume == nil || state.resumedCharge != nil {
                record.chargedCredits = state.charged + (state.resumedCharge ?? 0)
            }
            do {
                try await checkpoints.write(record)
            } catch {
                // The `submitted` record stays: the next run resumes the task and records its clip.
                return failed(ItemFailure(.local, reason: "\(error)", taskID: state.taskID).description, item: item, stage: stage)
            }
            tally.update {
                if resume != nil { $0.resumed += 1 } else { $0.generated += 1 }
                $0.retries += result.failedAttempts
                $0.ambiguousPosts += result.ambiguousRetries
            }
            emit(.itemSucceeded, stage: stage.name, item: item) {
                $0.location = clip.location.description
                $0.credits = state.charged
                $0.estimatedCredits = state.estimated
                $0.refundedCredits = max(0, state.estimated - state.charged)
                $0.taskID = result.taskID
            }
            return .made(clip, record)
        } catch {
            let state = recorder.settle()
            var failure = error
            failure.taskID = failure.taskID ?? state.taskID
            if Task.isCancelled { return .notDone }
            switch failure.kind {
            case .cancelled:
                return .notDone
            case .notPaid:
                if state.taskID != nil { report(failure: failure.reason, item: item, stage: stage) }
                return .notDone
            case .local:
                // A failure outside the provider after a task was submitted (a failed upload, state unreachable)
                // leaves the `submitted` record in place: the next run resumes the paid task instead of paying again.
                return failed(failure.description, item: item, stage: stage)
            case let .provider(retryable):
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
                    return failed(reason + "; its failure could not be recorded: \(error)", item: item, stage: stage)
                }
                return failed(reason, item: item, stage: stage)
            }
        }
    }

    private func failed(_ reason: String, item: String, stage: GenerateStage) -> ClipOutcome {
        report(failure: reason, item: item, stage: stage)
        if stage.options.onFailure == .fail { control.stop(.failed("stage `\(stage.name)`: \(item): \(reason)")) }
        return .failed(reason)
    }

    func report(failure reason: String, item: String, stage: GenerateStage) {
        let skipped = stage.options.onFailure == .skip
        tally.update { $0.failures.append(.init(stage: stage.name, item: item, reason: reason, skipped: skipped)) }
        emit(.itemFailed, stage: stage.name, item: item) {
            $0.reason = reason
            $0.skipped = skipped
        }
    }

    static func describe(_ error: any Error, taskID: String?) -> String {
        let text = "\(error)"
        guard let taskID, !text.contains(taskID) else { return text }
        return "\(text) (task \(taskID))"
    }
}
