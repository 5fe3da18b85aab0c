import Foundation
import Manifest
import Stages

extension PipelineEngine {
    /// What `apply` would do: frames listed, every item compared with its checkpoint. Reads only:
    /// no paid call and no write.
    public func plan() async throws -> PipelinePlan {
        try await planned().shown
    }

    /// The plan as data and as `runner plan` shows it.
    func planned() async throws -> (execution: ExecutionPlan, shown: PipelinePlan) {
        try checkWriteLocations()
        let checkpoints = try await CheckpointStore.open(state: pipeline.state, pipeline: pipeline.name, stores: stores)
        let plan = try await Planner(engine: self, checkpoints: checkpoints, copies: LocalCopies()).plan()
        // With a key, the accounts' limits (a free read): the concurrency a stage without one runs at, and the daily allowance.
        let accounts = await readAccounts()
        return (plan, PipelinePlan(plan, accounts: accounts, engine: self))
    }

    /// A merge's or publish's decision: one record, one HEAD (and a hash of a local output), and only for the output
    /// at `output`, where the stage writes it: a record naming another file is not looked at.
    func decide(_ key: ContentKey, item: String, stage: String, output: Location, in checkpoints: CheckpointStore)
        async throws -> Decision
    {
        var records: [String: CheckpointRecord] = [:]
        if let record = try await checkpoints.record(stage: stage, key: key.hex) {
            records[key.hex] = record
        } else if let earlier = try? await checkpoints.records(of: stage) {
            // A new key: the stage's earlier records say what changed since (`~ film (transition changed)`), as a
            // generate stage's do. Read only when the item must run again anyway; unreadable ones only lose the why.
            records = earlier
        }
        let expected = output.standardized
        var found = OutputCheck.missing
        if let recorded = records[key.hex]?.output, recorded.location == expected { found = await check(recorded) }
        return Decider(records: records, retryFailed: options.retryFailed).decide(
            key: key, item: item, expectedOutput: expected
        ) { _ in found }
    }
}
