import Foundation
import Manifest
import Stages

/// One apply: the stages of an `ExecutionPlan` run concurrently, each waiting only for the stages it needs, every
/// work stage through the same loop (`Executor+Stage`), whatever its kind.
struct Executor: Sendable {
    let engine: PipelineEngine
    let checkpoints: CheckpointStore
    let plan: ExecutionPlan
    let scratch: URL
    let board = StageBoard()
    /// Films merged in this run, published from disk.
    let copies: LocalCopies
    /// Stages fed their inputs as they are recorded (`Executor+Streaming`).
    let streams = InputStreams()
    /// The made items of each stage that pays a provider, for the run record.
    let clipsByStage = Guarded<[String: [RunRecord.Clip]]>([:])
    let started: ContinuousClock.Instant
    let control = RunControl()
    let ledger: CreditLedger
    let tally: Tally
    /// One limiter per provider: its concurrency holds across every stage that uses it.
    let providerLimits: [String: any ConcurrencyGate]
    /// The providers' accounts, as read when the run started.
    let accounts: AccountLimits
    /// Generations left today, counted down by every submission.
    let daily: DailyAllowance

    init(
        engine: PipelineEngine, checkpoints: CheckpointStore, plan: ExecutionPlan, scratch: URL,
        started: ContinuousClock.Instant, accounts: AccountLimits = AccountLimits(), copies: LocalCopies = LocalCopies()
    ) {
        self.copies = copies
        self.accounts = accounts
        daily = DailyAllowance(accounts)
        self.engine = engine
        self.started = started
        self.checkpoints = checkpoints
        self.plan = plan
        self.scratch = scratch
        ledger = CreditLedger(limit: plan.creditLimit(budget: engine.pipeline.budget.maxCredits))
        tally = Tally(RunSummary(pipeline: engine.pipeline.name, session: engine.pipeline.session))
        providerLimits = Dictionary(
            uniqueKeysWithValues: engine.pipeline.providers.map {
                ($0.name, engine.providerGate($0, accounts: accounts))
            })
    }

    var pipeline: Pipeline { engine.pipeline }
    var events: RunEventSink { engine.options.events }

    /// Runs every stage and says how the run ended.
    func execute() async -> RunSummary {
        await withTaskGroup(of: Void.self) { group in
            for stage in plan.stages {
                group.addTask { await board.finish(stage.name, await run(stage)) }
            }
        }
        // A stage fed its inputs that did not run (a stage it needs halted) leaves no work behind.
        for consumer in streams.takeAll() { await consumer.close() }
        var summary = tally.value
        summary.credits = ledger.spent
        summary.dollars = summary.credits * ModelCatalog.dollarsPerCredit
        if Task.isCancelled || control.stopReason == .interrupted {
            summary.outcome = .interrupted
            summary.reason = "interrupted; the next run resumes what was in flight"
        } else if case .failed(let reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if case .budget(let reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if case .limit(let reason)? = control.stopReason {
            summary.outcome = .failed
            summary.reason = reason
        } else if let halted = summary.reason {
            summary.outcome = .failed
            summary.reason = halted
        }
        return summary
    }

    /// One stage: a source hands on what it found; a work stage's items are made (planned now, when its inputs were
    /// not all made when the run was planned).
    func run(_ stage: StagePlan) async -> StageBoard.Outcome {
        switch stage.content {
        case .source(_, let selection):
            // Frames refused for their names are left out of the film, and said so (as an `onFailure: skip` clip is).
            for refused in selection.refused {
                emit(.itemFailed(stage: stage.name, item: refused.name, reason: refused.reason, skipped: true))
            }
            return .finished(selection.frames)
        case .work(let work):
            // Planned when the run started (its inputs were made before), and still started only once the stages it
            // needs have finished, so that events and halts keep the order of the graph.
            if case .failure(let halt) = await inputs(of: stage.name) {
                return notStarted(stage.name, total: work.workItems.count, because: halt)
            }
            return await work.execute(with: self)
        case .refused(_, let reason):
            return failedUnplanned(stage.name, reason)
        case .waiting(let work):
            switch await inputs(of: stage.name) {
            case .failure(let halt): return notStarted(stage.name, total: nil, because: halt)
            case .success(let inputs):
                let planner = Planner(engine: engine, checkpoints: checkpoints, copies: copies)
                do {
                    let planned = try await planner.plan(work, inputs: inputs, records: nil, listing: nil, journal: [:])
                    return await planned.execute(with: self)
                } catch {
                    return failedUnplanned(stage.name, "\(error)")
                }
            }
        }
    }

    /// The outputs of every stage `stage` needs, in `needs` order, or why they are missing.
    func inputs(of stage: String) async -> Result<[Artifact], HaltReason> {
        var artifacts: [Artifact] = []
        for need in pipeline.stage(named: stage)?.needs ?? [] {
            switch await board.outcome(of: need) {
            case .finished(let part): artifacts += part
            case .halted(let reason): return .failure(HaltReason(text: "stage `\(need)` did not finish (\(reason))"))
            }
        }
        return .success(artifacts)
    }

    /// A stage that does not start because a stage it needs did not finish: said (`stageNotStarted`) and its items
    /// (`total`, nil when not known yet) counted as not started, so that no stage of the plan ends unmentioned.
    func notStarted(_ stage: String, total: Int?, because halt: HaltReason) -> StageBoard.Outcome {
        emit(.stageNotStarted(stage: stage, total: total, reason: halt.text))
        return .halted(halt.text)
    }

    /// A stage that could make no items of its inputs (a merge whose `transitions` match no clip, a film stage whose
    /// own file cannot be read): told as a stage of one item, named as the stage, that failed, so that the events and
    /// the summary's failed count say the run failed there; then the run halts.
    func failedUnplanned(_ stage: String, _ reason: String) -> StageBoard.Outcome {
        emit(.stageStarted(stage: stage, total: 1, cached: 0))
        emit(.itemFailed(stage: stage, item: stage, reason: reason, skipped: false))
        emit(.stageFinished(stage: stage, total: 1, succeeded: 0, failed: 1))
        return halt(stage, reason)
    }

    /// Records that a stage halted the run.
    func halt(_ stage: String, _ reason: String) -> StageBoard.Outcome {
        tally.update { if $0.reason == nil { $0.reason = Self.naming(stage, in: reason) } }
        return .halted(reason)
    }

    /// `reason` led by `stage `NAME`: `, unless it names the stage already (a stage's own errors do: `stage `film`
    /// found...`, `pipeline.yaml:12:5: stage `film`: ...`), so that the name is said once.
    static func naming(_ stage: String, in reason: String) -> String {
        reason.contains("stage `\(stage)`") ? reason : "stage `\(stage)`: \(reason)"
    }

    /// Reports a problem that does not stop the run.
    func warn(_ text: String, stage: String) {
        emit(.warning(stage: stage, reason: text))
    }

    /// Counts `fact` in the summary and tells the event sink, now: the one place events are emitted during a run.
    func emit(_ fact: RunEvent.Fact) {
        tally.update { $0.fold(fact) }
        events(RunEvent(fact))
    }
}
