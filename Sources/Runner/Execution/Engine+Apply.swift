import Foundation
import Manifest
import Stages
import Storage
import Synchronization

extension PipelineEngine {
    /// Runs the pipeline under its lock: every item whose output is missing is made, each stage starting
    /// the moment its inputs are done. Cancelling the calling task stops new submissions; whatever was
    /// submitted stays recorded, so the next run resumes it.
    public func apply() async throws -> RunSummary {
        let clock = ContinuousClock()
        let started = clock.now
        try checkWriteLocations()
        let checkpoints = try await CheckpointStore.open(state: pipeline.state, pipeline: pipeline.name, stores: stores)
        let lock = try await RunLock.acquire(checkpoints, force: options.forceUnlock)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            // Said before the frames are listed and hashed, which takes a while for a large folder.
            var start = RunEvent(.runStarted)
            start.pipeline = pipeline.name
            start.session = pipeline.session
            options.events(start)
            // Films merged in this run are published from disk.
            let copies = LocalCopies()
            let prepared = try await Planner(engine: self, checkpoints: checkpoints, copies: copies).plan()
            try refuseUnusableFrames(prepared)
            // Refused up front when even the expected charge (the maximum, or what earlier runs of the models were really
            // charged of it) passes the budget; past that, the ledger holds every task in flight at its maximum and
            // every finished one at its final charge, so the budget is never passed.
            if let limit = pipeline.budget.maxCredits, prepared.expectedNewCredits > limit + 1e-9 {
                throw EngineError.overBudget(planned: prepared.expectedNewCredits, limit: limit)
            }
            // The accounts' limits (a free read): concurrency where the manifest sets none, and the daily allowance.
            let accounts = await readAccounts()
            let run = ApplyRun(engine: self, checkpoints: checkpoints, prepared: prepared, scratch: scratch, started: started,
                               accounts: accounts, copies: copies)
            // Another run that takes the lock over (it judged ours stale) stops this one from starting more work.
            let control = run.control
            lock.startHeartbeat { reason in control.stop(.failed(reason)) }
            var summary = await run.execute()
            summary.wallSeconds = DurationText.seconds(clock.now - started)
            var finish = RunEvent(.runFinished)
            finish.outcome = summary.outcome.rawValue
            finish.reason = summary.reason
            finish.credits = summary.credits
            finish.estimatedCredits = summary.estimatedCredits
            finish.refundedCredits = summary.refundedCredits
            finish.location = summary.output
            finish.summary = summary
            finish.record = summary.record
            options.events(finish)
            // Every task noted in the journal has its record now (or is done): the notes can go.
            if summary.outcome == .succeeded { journal.clear() }
            await lock.release()
            return summary
        } catch {
            await lock.release()
            throw error
        }
    }
}

/// One apply: the stages run concurrently, each waiting only for the stages it needs.
struct ApplyRun: Sendable {
    let engine: PipelineEngine
    let checkpoints: CheckpointStore
    let prepared: ExecutionPlan
    let scratch: URL
    let board = StageBoard()
    /// Films merged in this run, published from disk.
    let copies: LocalCopies
    /// Each generate stage's clips, for the run record.
    let clipsByStage = Guarded<[String: [RunRecord.Clip]]>([:])
    let started: ContinuousClock.Instant
    let control = RunControl()
    let ledger: CreditLedger
    let tally: Tally
    /// One limiter per provider: its concurrency holds across every stage that uses it.
    let providerLimits: [String: Limiter]
    /// The providers' accounts, as read when the run started.
    let accounts: AccountLimits
    /// Generations left today, counted down by every submission.
    let daily: DailyAllowance

    init(engine: PipelineEngine, checkpoints: CheckpointStore, prepared: ExecutionPlan, scratch: URL,
         started: ContinuousClock.Instant, accounts: AccountLimits = AccountLimits(), copies: LocalCopies = LocalCopies()) {
        self.copies = copies
        self.accounts = accounts
        daily = DailyAllowance(accounts)
        self.engine = engine
        self.started = started
        self.checkpoints = checkpoints
        self.prepared = prepared
        self.scratch = scratch
        ledger = CreditLedger(limit: engine.pipeline.budget.maxCredits)
        tally = Tally(RunSummary(pipeline: engine.pipeline.name, session: engine.pipeline.session))
        providerLimits = Dictionary(uniqueKeysWithValues: engine.pipeline.providers.map {
            ($0.name, Limiter(limit: engine.providerLimit($0, accounts: accounts)))
        })
    }

    var pipeline: Pipeline { engine.pipeline }
    var events: RunEventSink { engine.options.events }

    func execute() async -> RunSummary {
        await withTaskGroup(of: Void.self) { group in
            for stage in engine.orderedStages {
                group.addTask { await board.finish(stage.name, await run(stage)) }
            }
        }
        var summary = tally.value
        summary.credits = ledger.spent
        summary.dollars = summary.credits * ModelCatalog.dollarsPerCredit
        if Task.isCancelled || control.stopReason == .interrupted {
            summary.outcome = .interrupted
            summary.reason = "interrupted; the next run resumes what was in flight"
        } else if case let .failed(reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if case let .budget(reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if case let .limit(reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if let halted = summary.reason {
            summary.outcome = .failed
            summary.reason = halted
        }
        return summary
    }

    /// The outputs of every stage `stage` needs, in `needs` order, or why they are missing.
    func inputs(of stage: Manifest.Stage) async -> Result<[Artifact], HaltReason> {
        var artifacts: [Artifact] = []
        for need in stage.needs {
            switch await board.outcome(of: need) {
            case let .finished(part): artifacts += part
            case let .halted(reason): return .failure(HaltReason(text: "stage `\(need)` did not finish (\(reason))"))
            }
        }
        return .success(artifacts)
    }

    func run(_ stage: Manifest.Stage) async -> StageBoard.Outcome {
        switch stage.kind {
        case .frames:
            // Frames refused for their names are left out of the film, and said so (as an `onFailure: skip` clip is).
            guard case let .source(_, selection)? = prepared.stage(named: stage.name)?.content else { return .halted("not planned") }
            for refused in selection.refused {
                tally.update { $0.failures.append(.init(stage: stage.name, item: refused.name, reason: refused.reason, skipped: true)) }
                emit(.itemFailed, stage: stage.name, item: refused.name) {
                    $0.reason = refused.reason
                    $0.skipped = true
                }
            }
            return .finished(selection.frames)
        case .generate:
            guard let clips = prepared.stage(named: stage.name)?.work as? PlannedItems<GenerateStage> else { return .halted("not planned") }
            return await generate(clips)
        case let .merge(options):
            switch await inputs(of: stage) {
            case let .failure(halt): return .halted(halt.text)
            case let .success(clips): return await merge(MergeStage(name: stage.name, options: options), clips: clips)
            }
        case let .publish(options):
            switch await inputs(of: stage) {
            case let .failure(halt): return .halted(halt.text)
            case let .success(films): return await publish(PublishStage(name: stage.name, options: options, project: pipeline.directory), films: films)
            }
        }
    }

    /// Records that an item of a single-item stage (merge, publish) halted the run.
    func halt(_ stage: String, _ reason: String) -> StageBoard.Outcome {
        tally.update { if $0.reason == nil { $0.reason = "stage `\(stage)`: \(reason)" } }
        return .halted(reason)
    }

    func emit(_ kind: RunEvent.Kind, stage: String, item: String? = nil, _ fill: (inout RunEvent) -> Void = { _ in }) {
        var event = RunEvent(kind, stage: stage, item: item)
        fill(&event)
        events(event)
    }
}

/// Why a stage could not start.
struct HaltReason: Error {
    let text: String
}

/// A value shared by many tasks, changed under a lock.
final class Guarded<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: sending Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    func update<Result>(_ change: (inout Value) -> Result) -> Result { state.withLock { change(&$0) } }
}

/// The run's summary, updated from many tasks.
typealias Tally = Guarded<RunSummary>
