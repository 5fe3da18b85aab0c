import Foundation
import Manifest
import Stages

extension Executor {
    /// Keeps a paying stage's items (clips), in order, for the run record.
    func recordClips(of stage: String, outcomes: [ItemOutcome?]) {
        let clips = outcomes.compactMap { outcome -> RunRecord.Clip? in
            guard case .made(let artifact, let record)? = outcome else { return nil }
            return RunRecord.Clip(
                stage: stage, frame: artifact.name, frameLocation: artifact.source?.description, key: record.key,
                taskID: record.taskID, location: artifact.location.description, duration: artifact.duration,
                credits: record.credits ?? 0, estimatedCredits: record.estimatedCredits,
                chargedCredits: record.chargedCredits)
        }
        clipsByStage.update { $0[stage] = clips }
    }

    /// The paying stages (generations) whose items reach `stage`, following `needs` through the others, in order.
    func payingStages(feeding stage: String) -> [String] {
        guard let node = pipeline.stage(named: stage) else { return [] }
        if plan.stage(named: stage)?.work?.schedule.provider != nil { return [stage] }
        var found: [String] = []
        for need in node.needs {
            for name in payingStages(feeding: need) where !found.contains(name) { found.append(name) }
        }
        return found
    }

    /// What the run has done so far, for `stage`'s run record: the clips that reach it and this run's figures.
    func facts(for stage: String) -> RunFacts {
        let clips = clipsByStage.update { byStage in payingStages(feeding: stage).flatMap { byStage[$0] ?? [] } }
        let summary = tally.value
        let credits = ledger.spent
        return RunFacts(
            pipeline: pipeline.name, session: pipeline.session, manifestPath: pipeline.manifestPath,
            stateFolder: checkpoints.folder,
            clips: clips, skippedFrames: summary.failures.filter(\.skipped),
            totals: .init(
                credits: credits, dollars: credits * ModelCatalog.dollarsPerCredit,
                estimatedCredits: summary.estimatedCredits, refundedCredits: summary.refundedCredits,
                wallSeconds: DurationText.seconds(ContinuousClock.now - started),
                generated: summary.generated, skipped: summary.skipped, resumed: summary.resumed,
                failed: summary.failures.count, retries: summary.retries, ambiguousPosts: summary.ambiguousPosts,
                filmCredits: clips.reduce(0) { $0 + $1.credits }))
    }
}
