import Foundation
import Manifest
import Stages

extension Executor {
    /// After a finishing stage's items (a publish's link and run record), every run: what it reports goes into the
    /// summary and a `published` event.
    func finish(_ stage: any FinishingStage, outputs: [Artifact], in context: StageContext) async -> StageBoard.Outcome
    {
        guard let video = outputs.first else { return .finished(outputs) }
        do {
            let done = try await stage.finish(outputs, facts: facts(for: stage.name), in: context)
            tally.update {
                $0.record = done.record
                $0.recordLocation = done.recordLocation
                $0.contactSheet = done.record?.video.contactSheet
            }
            emit(
                .published(
                    stage: stage.name, location: done.output.location.description, link: done.link?.url.absoluteString,
                    expires: done.link?.expires))
            return .finished(outputs)
        } catch {
            return halt(stage.name, "the video is at \(video.location), but: \(error)")
        }
    }
}
