import Foundation

/// A stage with work after its items, every run, whether they were made now or before: a publish signs a fresh link
/// and writes and sends the run record. The engine reports what it returns (a `published` event, the summary).
public protocol FinishingStage: PipelineStage {
    /// Finishes with the stage's `outputs`; `facts` are the run's, as the engine has them now.
    func finish(_ outputs: [Artifact], facts: RunFacts, in context: StageContext) async throws -> StageFinish
}
