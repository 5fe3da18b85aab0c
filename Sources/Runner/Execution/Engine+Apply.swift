import Foundation
import Manifest
import Stages
import Storage
import Synchronization

extension PipelineEngine {
    /// Runs the pipeline under its lock: every item whose output is missing is made, each stage starting
    /// the moment its inputs are done. Cancelling the calling task stops new submissions; whatever was
    /// submitted stays recorded, so the next run resumes it.
    ///
    /// With `approval` (`runner apply FILE`), the plan made under the lock is compared with the saved one first: a
    /// change that refuses throws `StalePlan` before anything is done, and the plan executed is the one compared,
    /// with the ledger held to the credits the saved plan approved.
    public func apply(approving approval: PlanApproval? = nil) async throws -> RunSummary {
        let clock = ContinuousClock()
        let started = clock.now
        try checkWriteLocations()
        let checkpoints = try await CheckpointStore.open(state: pipeline.state, pipeline: pipeline.name, stores: stores)
        let lock = try await RunLock.acquire(checkpoints, force: options.forceUnlock)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            // Said before the frames are listed and hashed, which takes a while for a large folder.
            options.events(RunEvent(.runStarted(pipeline: pipeline.name, session: pipeline.session)))
            // Films merged in this run are published from disk.
            let copies = LocalCopies()
            var prepared = try await Planner(engine: self, checkpoints: checkpoints, copies: copies).plan()
            await keepFrameChecks()
            if let approval { prepared.approvedCredits = try approve(prepared, approval) }
            try refuseUnusableFrames(prepared)
            // Refused up front when even the expected charge (the maximum, or what earlier runs of the models were really
            // charged of it) passes the budget; past that, the ledger holds every task in flight at its maximum and
            // every finished one at its final charge, so the budget is never passed.
            if let limit = pipeline.budget.maxCredits, prepared.expectedNewCredits > limit + 1e-9 {
                throw EngineError.overBudget(planned: prepared.expectedNewCredits, limit: limit)
            }
            // The accounts' limits (a free read): concurrency where the manifest sets none, and the daily allowance.
            let accounts = await readAccounts()
            options.planned?(PipelinePlan(prepared, accounts: accounts, engine: self))
            let run = Executor(
                engine: self, checkpoints: checkpoints, plan: prepared, scratch: scratch, started: started,
                accounts: accounts, copies: copies)
            // Another run that takes the lock over (it judged ours stale) stops this one from starting more work.
            let control = run.control
            lock.startHeartbeat { reason in control.stop(.failed(reason)) }
            var summary = await run.execute()
            summary.wallSeconds = DurationText.seconds(clock.now - started)
            options.events(RunEvent(.runFinished(summary)))
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
