import Foundation
import Manifest
import Stages

/// What `runner apply FILE` approved: the saved plan, where it came from, and where its notes go.
public struct PlanApproval: Sendable {
    /// The plan, as loaded (`SavedPlan.load`).
    public var plan: SavedPlan
    /// The plan file as given, for messages.
    public var file: String
    /// The runner applying it and the plan file's folder.
    public var context: SavedPlanContext
    /// Told the differences that do not refuse (an item made meanwhile), before anything is done.
    public var notes: @Sendable ([PlanChange]) -> Void

    /// An approval of `plan`, read from `file`.
    public init(
        plan: SavedPlan, file: String, context: SavedPlanContext, notes: @escaping @Sendable ([PlanChange]) -> Void
    ) {
        self.plan = plan
        self.file = file
        self.context = context
        self.notes = notes
    }
}

extension PipelineEngine {
    /// What `apply` would do, as `plan()` says it, and the same plan as `runner plan --out` saves it (`context` names
    /// the runner and the plan file's folder). Reads only.
    public func plan(saving context: SavedPlanContext) async throws -> (plan: PipelinePlan, saved: SavedPlan) {
        let (execution, shown) = try await planned()
        let saved = try SavedPlan(
            from: execution, pipeline: pipeline, retryFailed: options.retryFailed, context: context,
            estimatedSeconds: shown.estimatedSeconds)
        return (shown, saved)
    }

    /// Compares the plan made now with the approved one: throws `StalePlan` naming every change that refuses,
    /// otherwise hands the notes on and returns the credits the plan approved (apply's ledger stops there).
    func approve(_ plan: ExecutionPlan, _ approval: PlanApproval) throws -> Double {
        let current = try SavedPlan(
            from: plan, pipeline: pipeline, retryFailed: options.retryFailed, context: approval.context,
            estimatedSeconds: approval.plan.totals.estimatedSeconds)
        let notes = try approval.plan.check(against: current, file: approval.file)
        if !notes.isEmpty { approval.notes(notes) }
        return approval.plan.totals.credits
    }
}

extension ExecutionPlan {
    /// The most apply may commit: `budget.maxCredits` (`budget`) or, when it does a saved plan, the credits the plan
    /// approved, whichever is less.
    func creditLimit(budget: Double?) -> Double? {
        [budget, approvedCredits].compactMap { $0 }.min()
    }

    /// Why the ledger refused a submission for `item`: the budget, or the saved plan's approval.
    func creditLimitReached(at item: String, budget: Double?) -> String {
        if let approved = approvedCredits, approved < budget ?? .infinity {
            return String(
                format:
                    "the saved plan approved %.0f credits, reached at %@: later clips were not submitted; make and review "
                    + "the plan again (`runner plan MANIFEST --out FILE`) to approve the rest", approved, item)
        }
        return String(
            format: "budget.maxCredits (%.0f) reached at %@: later clips were not submitted; "
                + "raise the budget and rerun to make them", budget ?? 0, item)
    }
}
