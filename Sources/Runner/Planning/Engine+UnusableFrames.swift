import Manifest
import Stages

extension PipelineEngine {
    /// Throws `UnusableFrames` when frames refused for their content feed a work stage that does not go on without
    /// failed items (`onFailure: fail`): apply stops before its first paid submission. Under `skip` they are left out.
    func refuseUnusableFrames(_ plan: ExecutionPlan) throws {
        for stage in orderedStages {
            guard let work = plan.stage(named: stage.name)?.work, !work.skipsFailures, work.schedule.provider != nil
            else { continue }
            let unusable = stage.needs.flatMap { need -> [RefusedFrame] in
                guard case .source(_, let selection)? = plan.stage(named: need)?.content else { return [] }
                return selection.refused
            }.filter { $0.kind == .content }
            if !unusable.isEmpty { throw UnusableFrames(stage: stage.name, frames: unusable) }
        }
    }
}
