import Foundation
import Manifest
import Media
import Runway
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
    func generate(_ clips: PreparedPipeline.Clips) async -> StageBoard.Outcome {
        let stage = clips.stage
        let name = stage.name
        let generator: any VideoGenerator
        do {
            generator = try GeneratorRegistry.generator(for: stage.provider, environment: engine.options.environment)
        } catch {
            control.stop(.failed("stage `\(name)`: \(error)"))
            return halt(name, "\(error)")
        }
        var outcomes = [ClipOutcome?](repeating: nil, count: clips.works.count)
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
            $0.total = clips.works.count
            $0.cached = cachedCount
        }
        for (index, outcome) in outcomes.enumerated() {
            if case let .failed(reason)? = outcome { report(failure: reason, item: clips.works[index].frame.name, stage: stage) }
        }

        // A sliding window: the stage's slot is taken here, in frame order, and freed the moment the
        // provider has finished the clip (its download and upload need no slot), so the next clip is
        // submitted at once. The provider's own limit holds across every stage that uses it.
        let lanes = engine.lanes(of: stage, accounts: accounts)
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
                if case let .failed(reason)? = outcomes[leader] { report(failure: reason, item: clips.works[index].frame.name, stage: stage) }
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
            $0.total = clips.works.count
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
    func makeClip(_ index: Int, clips: PreparedPipeline.Clips, generator: any VideoGenerator, slot: Slot) async -> ClipOutcome {
        guard !Task.isCancelled, control.stopReason == nil else { return .notDone }
        var resume: (taskID: String, record: CheckpointRecord)?
        if case let .resume(taskID, record) = clips.decisions[index] { resume = (taskID, record) }
        return await generateClip(clips.works[index], stage: clips.stage, generator: generator, resume: resume, slot: slot)
    }

    /// A clip's paid work so far: its task, and the credits of this run's submissions and of earlier runs'.
    private struct PaidWork {
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
        /// Whether every task of the clip has a known final charge.
        var chargesKnown = true

        /// The clip's credits for its record: final charges where known, the estimate of anything still open.
        var total: Double {
            (resumedCharge ?? earlierCredits) + charged + (submitted ? reserved : 0)
        }
    }

    private func generateClip(_ work: ClipWork, stage: GenerateStage, generator: any VideoGenerator,
                              resume: (taskID: String, record: CheckpointRecord)?, slot: Slot) async -> ClipOutcome {
        let item = work.frame.name
        guard !Task.isCancelled, control.stopReason == nil else { return .notDone }
        let paid = Mutex(PaidWork(taskID: resume?.taskID, earlierCredits: resume?.record.credits ?? 0))
        emit(resume == nil ? .itemStarted : .itemResumed, stage: stage.name, item: item) { $0.taskID = resume?.taskID }
        let base = CheckpointRecord(pipeline: pipeline.name, stage: stage.name, key: work.key.hex, item: item, state: .submitted,
                                    inputs: work.key.inputs, provider: stage.provider.name)
        let ledger = self.ledger, control = self.control, limit = pipeline.budget.maxCredits ?? 0, journal = engine.journal
        let daily = self.daily, tally = self.tally
        let resumedTask = resume?.taskID
        let earlierEstimate = resume?.record.estimatedCredits ?? resume?.record.credits
        do {
            let (clip, result) = try await stage.make(
                work, generator: generator, stores: engine.stores, workDirectory: scratch, resumeTaskID: resume?.taskID,
                authorizeSubmission: { credits in
                    // Every paid submission, a retry's too, is reserved against the budget (at its maximum) and counted
                    // against the account's daily generations first.
                    guard !Task.isCancelled, control.stopReason == nil else { return false }
                    if let refusal = daily.take(provider: stage.provider.name, model: work.model) {
                        control.stop(.limit(refusal))
                        return false
                    }
                    guard ledger.reserve(credits) else {
                        control.stop(.budget(String(format: "budget.maxCredits (%.0f) reached at %@: later clips were not submitted; "
                            + "raise the budget and rerun to make them", limit, item)))
                        return false
                    }
                    paid.withLock {
                        $0.reserved = credits
                        $0.submitted = false
                    }
                    return true
                },
                onCharged: { taskID, estimate, charged in
                    // A task ended: its final charge replaces its reservation in the budget at once.
                    let refunded = max(0, estimate - charged)
                    if taskID == resumedTask {
                        paid.withLock { $0.resumedCharge = charged }
                        return
                    }
                    let reserved = paid.withLock { state in
                        let reserved = state.reserved
                        state.charged += charged
                        state.reserved = 0
                        state.submitted = false
                        return reserved
                    }
                    ledger.settle(reserved: reserved, spent: charged)
                    tally.update { $0.refundedCredits += refunded }
                },
                onLinkRefreshed: {
                    tally.update { $0.refreshedLinks += 1 }
                },
                onSubmitted: { taskID, estimate in
                    let maximum = estimate ?? work.estimatedCredits
                    let (credits, reserved) = paid.withLock { state in
                        let reserved = state.reserved
                        state.taskID = taskID
                        state.estimated += maximum
                        state.reserved = maximum
                        state.submitted = true
                        return (state.total, reserved)
                    }
                    // Runway's estimate is the task's maximum: the budget holds that until the final charge is known.
                    ledger.replace(reserved: reserved, with: maximum)
                    tally.update { $0.estimatedCredits += maximum }
                    // Noted locally at once (a single append), then recorded in the state before the first poll:
                    // a run killed from here on resumes this task.
                    journal.append(.init(stage: stage.name, key: work.key.hex, taskID: taskID, credits: credits))
                    var record = base
                    record.taskID = taskID
                    record.credits = credits
                    record.estimatedCredits = paid.withLock { $0.estimated } + (earlierEstimate ?? 0)
                    try await checkpoints.write(record)
                    emit(.itemSubmitted, stage: stage.name, item: item) {
                        $0.taskID = taskID
                        $0.credits = maximum
                        $0.estimatedCredits = maximum
                    }
                },
                events: { event in
                    if case .generated = event { slot.releaseSoon() }
                    emit(.itemStatus, stage: stage.name, item: item) {
                        switch event {
                        case .pending: $0.status = "PENDING"
                        case .throttled: $0.status = "THROTTLED"
                        case let .running(progress):
                            $0.status = "RUNNING"
                            $0.progress = progress
                        case .generated: $0.status = "DOWNLOADING"
                        }
                    }
                })
            let state = settle(paid)
            var record = base
            record.state = .succeeded
            record.taskID = result.taskID
            record.output = clip
            record.credits = state.total
            record.estimatedCredits = state.estimated + (resume != nil ? (earlierEstimate ?? 0) : 0)
            if result.chargesKnown, resume == nil || state.resumedCharge != nil {
                record.chargedCredits = state.charged + (state.resumedCharge ?? 0)
            }
            try await checkpoints.write(record)
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
            let state = settle(paid)
            if Task.isCancelled || Self.isCancellation(error) { return .notDone }
            if case StageError.budgetExhausted? = error as? StageError {
                if state.taskID != nil { report(failure: "\(error)", item: item, stage: stage) }
                return .notDone
            }
            let reason = Self.describe(error, taskID: state.taskID)
            if let generation = error as? RunwayError {
                var record = base
                record.state = .failed
                record.taskID = state.taskID
                record.credits = state.total
                record.estimatedCredits = state.estimated + (resume != nil ? (earlierEstimate ?? 0) : 0)
                record.chargedCredits = state.submitted ? nil : state.charged + (state.resumedCharge ?? 0)
                record.failure = .init(reason: reason, retryable: generation.isRetryable)
                do {
                    try await checkpoints.write(record)
                } catch {
                    return failed(reason + "; its failure could not be recorded: \(error)", item: item, stage: stage)
                }
            }
            // Any other error after a task was submitted (a failed upload, state unreachable) leaves the
            // `submitted` record in place: the next run resumes the paid task instead of paying again.
            return failed(reason, item: item, stage: stage)
        }
    }

    /// Ends a clip's budget reservation: a task still in flight (its final charge unknown) counts at its maximum; a
    /// submission that created no task counts nothing.
    private func settle(_ paid: borrowing Mutex<PaidWork>) -> PaidWork {
        let state = paid.withLock { $0 }
        ledger.settle(reserved: state.reserved, spent: state.submitted ? state.reserved : 0)
        return state
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

    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let runway = error as? RunwayError, runway == .cancelled { return true }
        if let media = error as? MediaError, case .cancelled = media { return true }
        return false
    }

    static func describe(_ error: any Error, taskID: String?) -> String {
        let text = "\(error)"
        guard let taskID, !text.contains(taskID) else { return text }
        return "\(text) (task \(taskID))"
    }
}
