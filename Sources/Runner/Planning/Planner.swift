import Foundation
import Manifest
import Stages

/// Makes the `ExecutionPlan`: every source stage listed, every work stage whose inputs are known fanned out to its
/// items, each item decided against its checkpoint records and whether its output is still there. Reads only.
struct Planner: Sendable {
    let engine: PipelineEngine
    let checkpoints: CheckpointStore
    /// The run's local copies (a plan's own, or an apply's).
    let copies: LocalCopies

    /// The plan of every stage, in the pipeline's order.
    func plan() async throws -> ExecutionPlan {
        let journal = engine.journal.entries()
        var entries: [String: StageRegistry.Entry] = [:]
        // Each listed stage's records and output listing are read while the frames are listed and hashed.
        var records: [String: Task<[String: CheckpointRecord], any Error>] = [:]
        var listings: [String: Task<[Location: Int64], any Error>] = [:]
        for stage in engine.orderedStages {
            let entry = try StageRegistry.stage(for: stage, in: engine.pipeline)
            entries[stage.name] = entry
            guard case .work(let work) = entry, let listing = work.outputListing else { continue }
            let checkpoints = self.checkpoints
            let engine = self.engine
            records[stage.name] = Task { try await checkpoints.records(of: stage.name) }
            listings[stage.name] = Task { try await engine.existingObjects(under: listing) }
        }
        var plan = ExecutionPlan()
        var outputs: [String: [Artifact]?] = [:]  // nil: not known until pending work is done
        for stage in engine.orderedStages {
            guard let entry = entries[stage.name] else { continue }
            switch entry {
            case .source(let source):
                let selection = try await source.select(stores: engine.stores, checks: engine.frameChecks)
                outputs[stage.name] = selection.frames
                plan.stages.append(StagePlan(name: stage.name, type: stage.type, content: .source(source, selection)))
            case .work(let work):
                // Files of its own outside the project stop plan and apply now, not when the stage's turn comes.
                do {
                    try work.checkOwnFiles(in: context(for: stage.name))
                } catch {
                    throw EngineError.stage(stage.name, problem: "\(error)")
                }
                let ownFiles = await work.ownFileDigests(in: context(for: stage.name))
                let inputs: [Artifact]? = stage.needs.reduce([Artifact]?.some([])) { sum, need in
                    guard let sum, let part = outputs[need] ?? nil else { return nil }
                    return sum + part
                }
                guard let inputs else {
                    outputs[stage.name] = .some(nil)
                    plan.stages.append(
                        StagePlan(name: stage.name, type: stage.type, content: .waiting(work), ownFiles: ownFiles))
                    continue
                }
                let known = try await records[stage.name]?.value
                let listing = try await listings[stage.name]?.value
                if let known { Self.addHistory(of: known, to: &plan.costHistory) }
                let planned: any PlannedWork
                do {
                    planned = try await self.plan(
                        work, inputs: inputs, records: known, listing: listing, journal: journal)
                } catch let error as StageError where !error.stopsThePlan {
                    outputs[stage.name] = .some(nil)
                    plan.stages.append(
                        StagePlan(
                            name: stage.name, type: stage.type, content: .refused(work, error.description),
                            ownFiles: ownFiles))
                    continue
                }
                outputs[stage.name] = .some(planned.outputs)
                plan.stages.append(
                    StagePlan(name: stage.name, type: stage.type, content: .work(planned), ownFiles: ownFiles))
            }
        }
        return plan
    }

    /// A work stage's items for `inputs`, each decided. With a listing (`records` and `listing` read up front), a
    /// recorded output counts when the listing has it at its recorded size; without one, each item's record is read
    /// and its output looked at (and hashed, when local).
    func plan<Stage: PipelineStage>(
        _ stage: Stage, inputs: [Artifact], records: [String: CheckpointRecord]?,
        listing: [Location: Int64]?, journal: [String: SubmissionJournal.Entry]
    ) async throws
        -> any PlannedWork
    {
        let items = try await stage.items(from: inputs, in: context(for: stage.name))
        var first: [String: Int] = [:]
        var decisions: [Decision] = []
        decisions.reserveCapacity(items.count)
        if var known = records, let listing {
            // Tasks a killed run was answered for but had not recorded yet: resumed like recorded ones.
            for item in items where known[item.key.hex] == nil {
                guard let entry = journal[stage.name + "/" + item.key.hex] else { continue }
                known[item.key.hex] = CheckpointRecord(
                    pipeline: engine.pipeline.name, stage: stage.name, key: item.key.hex,
                    item: item.name, state: .submitted, inputs: item.key.inputs,
                    provider: stage.schedule.provider?.name, taskID: entry.taskID,
                    credits: entry.credits)
            }
            let decider = Decider(records: known, retryFailed: engine.options.retryFailed)
            for (index, item) in items.enumerated() {
                if let earlier = first[item.key.hex] {
                    decisions.append(.sameAs(index: earlier, item: items[earlier].name))
                    continue
                }
                first[item.key.hex] = index
                // The listing gives sizes; an output's SHA-256 is checked where it is read, before it is used.
                decisions.append(
                    decider.decide(key: item.key, item: item.name, expectedOutput: item.output.standardized) { output in
                        guard let size = listing[output.location] else { return .missing }
                        return size == output.size
                            ? .matches : .differs("is \(size) bytes, not \(output.size) as its record says")
                    })
            }
        } else {
            for (index, item) in items.enumerated() {
                if let earlier = first[item.key.hex] {
                    decisions.append(.sameAs(index: earlier, item: items[earlier].name))
                    continue
                }
                first[item.key.hex] = index
                decisions.append(
                    try await engine.decide(
                        item.key, item: item.name, stage: stage.name, output: item.output,
                        in: checkpoints))
            }
        }
        return PlannedItems(stage: stage, items: items, decisions: decisions)
    }

    /// What a stage may use of the run while it lists or makes items.
    func context(for stage: String) -> StageContext {
        StageContext(
            stores: engine.stores, scratch: engine.scratch, stateFolder: checkpoints.folder(of: stage),
            session: engine.pipeline.session, copies: copies, environment: engine.options.environment)
    }

    /// Adds what `records` say earlier runs' items of each model were estimated and charged.
    static func addHistory(of records: [String: CheckpointRecord], to history: inout [String: PipelinePlan.ModelCost]) {
        for record in records.values {
            guard let model = record.inputs["model"], let estimated = record.estimatedCredits,
                let charged = record.chargedCredits,
                estimated.isFinite, charged.isFinite, estimated > 0, charged >= 0
            else { continue }
            history[model, default: .init(model: model)].add(estimated: estimated, charged: charged)
        }
    }
}
