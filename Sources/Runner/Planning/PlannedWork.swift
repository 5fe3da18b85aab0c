import Foundation
import Stages

/// A work stage's items, each with its decision: the typed value (`PlannedItems`) behind one face for plans.
protocol PlannedWork: Sendable {
    /// How the stage's pending items are run.
    var schedule: StageSchedule { get }
    /// Whether the stage goes on without items that failed.
    var skipsFailures: Bool { get }
    /// The items, in order, as plans show them.
    var workItems: [any WorkItem] { get }
    /// One decision per item.
    var decisions: [Decision] { get }

    /// The stage's line for plans (`PipelineStage.summary`).
    func summary(lanes: Int, fromAccount: Bool) -> String

    /// Makes the pending items with `executor` (its one loop, typed by the stage).
    func execute(with executor: Executor) async -> StageBoard.Outcome
}

extension PlannedWork {
    /// Credits of the items that would be submitted anew, each at its maximum.
    var newCredits: Double {
        zip(workItems, decisions).reduce(0) { sum, pair in
            if case .run = pair.1 { return sum + pair.0.estimatedCredits }
            return sum
        }
    }

    /// Items apply would do something for (make, make again, resume).
    var pendingCount: Int {
        decisions.filter { decision in
            switch decision {
            case .run, .resume: return true
            case .cached, .failedBefore, .sameAs: return false
            }
        }.count
    }

    /// The stage's outputs when every item is done (each cached, an identical item's leader's artifact for it);
    /// nil while any item is pending. Items that failed for good are left out.
    var outputs: [Artifact]? {
        guard pendingCount == 0 else { return nil }
        return decisions.compactMap { decision in
            switch decision {
            case .cached(let artifact, _): return artifact
            case .sameAs(let index, _):
                if case .cached(let artifact, _) = decisions[index] { return artifact }
                return nil
            case .run, .resume, .failedBefore: return nil
            }
        }
    }
}

/// A stage's items with their decisions, typed by the stage.
struct PlannedItems<Stage: PipelineStage>: PlannedWork {
    let stage: Stage
    let items: [Stage.Item]
    let decisions: [Decision]

    var schedule: StageSchedule { stage.schedule }
    var skipsFailures: Bool { stage.skipsFailures }
    var workItems: [any WorkItem] { items }

    func summary(lanes: Int, fromAccount: Bool) -> String { stage.summary(lanes: lanes, fromAccount: fromAccount) }

    func execute(with executor: Executor) async -> StageBoard.Outcome { await executor.execute(self) }
}
