import Foundation
import Manifest
import Stages

extension Executor {
    /// After a stage: a publish's link is signed every run, its run record written and sent when it changed, and
    /// the video announced. Any other stage's outcome is handed on as it is.
    func finish(_ name: String, _ outcome: StageBoard.Outcome) async -> StageBoard.Outcome {
        guard case let .publish(options)? = pipeline.stage(named: name)?.kind, case let .finished(published) = outcome,
              let video = published.first else { return outcome }
        let stage = PublishStage(name: name, options: options, project: pipeline.directory)
        do {
            let link: (url: URL, expires: Date)?
            var record: RunRecord?
            if stage.options.record != nil || stage.options.webhook != nil {
                let published = try await publishRecord(stage, video: video) { try await stage.link(to: video, stores: engine.stores) }
                link = published.link
                record = published.record
            } else {
                link = try await stage.link(to: video, stores: engine.stores)
            }
            tally.update {
                $0.output = video.location.description
                $0.link = link?.url.absoluteString
                $0.linkExpires = link?.expires
                $0.record = record
                $0.recordLocation = stage.options.record?.description
                $0.contactSheet = record?.video.contactSheet
            }
            emit(.published, stage: stage.name, item: stage.name) {
                $0.location = video.location.description
                $0.link = link?.url.absoluteString
                $0.expires = link?.expires
            }
            return outcome
        } catch {
            return halt(stage.name, "the video is at \(video.location), but: \(error)")
        }
    }
}
