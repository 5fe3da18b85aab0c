import Foundation
import Manifest
import Stages

extension Executor {
    /// How one item ended.
    enum ItemOutcome: Sendable {
        /// The output, with its `succeeded` record.
        case made(Artifact, CheckpointRecord)
        case failed(String)
        /// Not started, or stopped by an interruption: nothing new was recorded.
        case notDone
    }

    /// Any work stage: announced, cached items handed on at once, the rest made in a sliding window of the stage's
    /// lanes (the next item starts the moment the provider finishes one) within the provider's limit, each recorded;
    /// the end announced. A merge or a publish is a window of one.
    func execute<Stage: PipelineStage>(_ planned: PlannedItems<Stage>) async -> StageBoard.Outcome {
        let stage = planned.stage
        let name = stage.name
        var context = Planner(engine: engine, checkpoints: checkpoints, copies: copies).context(for: name)
        do {
            try stage.check(in: context)
        } catch {
            control.stop(.failed(Self.naming(name, in: "\(error)")))
            return halt(name, "\(error)")
        }
        context.streamedInputs = streams.take(for: name)
        let paying = stage.schedule.provider != nil
        var outcomes = [ItemOutcome?](repeating: nil, count: planned.items.count)
        var pending: [Int] = []
        for (index, decision) in planned.decisions.enumerated() {
            switch decision {
            case .cached(let artifact, let record): outcomes[index] = .made(artifact, record)
            case .failedBefore(let reason): outcomes[index] = .failed("failed before: \(reason)")
            case .run, .resume: pending.append(index)
            case .sameAs: break
            }
        }
        let cachedCount = outcomes.filter { if case .made = $0 { return true } else { return false } }.count
        tally.update {
            if paying { $0.skipped += cachedCount } else if cachedCount > 0 { $0.stagesSkipped.append(name) }
        }
        emit(.stageStarted(stage: name, total: planned.items.count, cached: cachedCount))
        for (index, outcome) in outcomes.enumerated() {
            if case .failed(let reason)? = outcome {
                report(failure: reason, item: planned.items[index].name, stage: stage)
            }
        }
        await startStreaming(from: planned, outcomes: outcomes)

        // A sliding window: the stage's lane is taken here, in item order, and freed the moment the provider has
        // finished the item (its download and upload need no slot), so the next one is submitted at once. The
        // provider's own limit holds across every stage that uses it; a paying provider's place is taken only at
        // submission (`ItemRecorder.mayPay`), a local generator's from the start.
        let lanes = engine.lanes(of: stage.schedule, accounts: accounts)
        let window = Limiter(limit: lanes)
        let provider = stage.schedule.provider.map {
            providerLimits[$0.name] ?? engine.providerGate($0, accounts: accounts)
        }
        let staging = stage.schedule.provider.flatMap { engine.stagingGate($0, accounts: accounts) }
        let placeAtStart = stage.schedule.provider.map { !engine.takesPlaceAtSubmission($0) } ?? false
        let fed = context
        await withTaskGroup(of: (Int, ItemOutcome).self) { group in
            var inGroup = 0
            for index in pending {
                // Finished items are collected as the window moves: a finished child task keeps its memory
                // until its result is taken (at 10,000 clips that was hundreds of megabytes).
                while inGroup >= 4 * lanes, let (done, outcome) = await group.next() {
                    outcomes[done] = outcome
                    inGroup -= 1
                }
                inGroup += 1
                await window.acquire()
                let slot = Slot(lane: window, provider: provider, staging: staging)
                // A resumed task is in flight at the provider already: its place is taken before its first poll.
                let resumed = if case .resume = planned.decisions[index] { true } else { false }
                group.addTask {
                    if placeAtStart || resumed { await slot.acquireProvider() } else { await slot.acquireStaging() }
                    let outcome = await make(index, of: planned, in: fed, slot: slot)
                    await slot.release()
                    await streamRecorded(index, of: name, outcome: outcome)
                    return (index, outcome)
                }
            }
            for await (index, outcome) in group { outcomes[index] = outcome }
        }
        await context.streamedInputs?.close()

        for (index, decision) in planned.decisions.enumerated() {
            // An identical item: the leader's output serves both, made and paid for once.
            if case .sameAs(let leader, _) = decision {
                outcomes[index] = outcomes[leader]
                if case .made? = outcomes[leader] { tally.update { $0.skipped += 1 } }
                // Counted as the stage's event counts it, so the summary and the event agree (issue #14).
                if case .failed(let reason)? = outcomes[leader] {
                    report(failure: reason, item: planned.items[index].name, stage: stage)
                }
            }
        }
        var made: [Artifact] = []
        var failed = 0
        var notDone = 0
        for outcome in outcomes {
            switch outcome {
            case .made(let artifact, _)?: made.append(artifact)
            case .failed?: failed += 1
            case .notDone?, nil: notDone += 1
            }
        }
        if paying { recordClips(of: name, outcomes: outcomes) }
        // The summary's `notStarted` is folded from this event's count.
        emit(
            .stageFinished(
                stage: name, total: planned.items.count, succeeded: made.count, failed: failed, notStarted: notDone))
        if notDone > 0 { return .halted("\(notDone) item\(notDone == 1 ? "" : "s") not made") }
        if failed > 0, !stage.skipsFailures {
            return halt(name, "\(failed) item\(failed == 1 ? "" : "s") failed")
        }
        if let finishing = stage as? any FinishingStage { return await finish(finishing, outputs: made, in: context) }
        return .finished(made)
    }

    /// An item's failure: reported; unless the stage goes on without it, the run stops starting new work.
    func failed<Stage: PipelineStage>(_ reason: String, item: String, stage: Stage) -> ItemOutcome {
        report(failure: reason, item: item, stage: stage)
        if !stage.skipsFailures {
            // A stage of one item is named once: `stage `film`: REASON`.
            control.stop(
                .failed(
                    item == stage.name
                        ? Self.naming(stage.name, in: reason) : "stage `\(stage.name)`: \(item): \(reason)"))
        }
        return .failed(reason)
    }

    func report<Stage: PipelineStage>(failure reason: String, item: String, stage: Stage) {
        emit(.itemFailed(stage: stage.name, item: item, reason: reason, skipped: stage.skipsFailures))
    }
}
