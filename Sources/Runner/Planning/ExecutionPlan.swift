import Foundation
import Manifest
import Stages

/// What apply will do, as data: per stage, its items with their decisions, or what it waits for. `runner plan`
/// renders it (`PipelinePlan`); `runner apply` executes it.
struct ExecutionPlan: Sendable {
    /// The stages in the pipeline's order.
    var stages: [StagePlan] = []
    /// What earlier runs' items of each model were estimated and charged (records with both figures).
    var costHistory: [String: PipelinePlan.ModelCost] = [:]
    /// When apply does a saved plan: the credits it approved. Apply's ledger stops there as at `budget.maxCredits`.
    var approvedCredits: Double?

    /// The plan of the stage named `name`.
    func stage(named name: String) -> StagePlan? { stages.first { $0.name == name } }

    /// Credits of the items that would be submitted anew: each at its maximum.
    var newCredits: Double { stages.reduce(0) { $0 + ($1.work?.newCredits ?? 0) } }

    /// The credits the new items are expected to be charged: each model's maximum at the share of it that earlier
    /// runs of that model were really charged (the maximum itself where no run recorded a charge).
    var expectedNewCredits: Double {
        stages.reduce(0) { sum, stage in
            guard let work = stage.work else { return sum }
            return sum + work.newCredits * (work.schedule.model.flatMap { costHistory[$0]?.chargedShare } ?? 1)
        }
    }
}

/// One stage of an `ExecutionPlan`.
struct StagePlan: Sendable {
    /// What the plan knows of the stage.
    enum Content: Sendable {
        /// A source stage's listing.
        case source(any SourceStage, FrameSelection)
        /// A work stage's items and their decisions.
        case work(any PlannedWork)
        /// A work stage whose inputs are not all made yet: planned when they are.
        case waiting(any PipelineStage)
        /// A work stage that cannot make items of its inputs (a merge without clips): why.
        case refused(any PipelineStage, String)
    }

    let name: String
    let type: StageType
    var content: Content
    /// The files the stage reads itself, with their digests when planned (a saved plan records them).
    var ownFiles: [OwnFileDigest] = []

    /// The work items and decisions, when the stage has them.
    var work: (any PlannedWork)? {
        if case .work(let work) = content { return work }
        return nil
    }
}
