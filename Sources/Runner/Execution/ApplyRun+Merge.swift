import Foundation
import Manifest
import Stages

extension ApplyRun {
    /// A merge: skipped when a film of the same clips and options exists, otherwise made and recorded.
    func merge(_ stage: MergeStage, clips: [Artifact]) async -> StageBoard.Outcome {
        guard !clips.isEmpty else { return halt(stage.name, StageError.nothingToMerge(stage: stage.name).description) }
        return await single(stage: stage.name, item: stage.name, total: 1) {
            try stage.work(inputs: clips, folder: checkpoints.folder(of: stage.name)).key
        } make: { _ in
            let work = try stage.work(inputs: clips, folder: checkpoints.folder(of: stage.name))
            return try await stage.make(work, stores: engine.stores, workDirectory: scratch, copies: copies,
                                        warning: { warn($0, stage: stage.name) }) { done, count in
                emit(.itemStatus, stage: stage.name, item: stage.name) {
                    $0.status = "MERGING"
                    $0.progress = Double(done) / Double(max(count, 1))
                }
            }
        }
    }

    /// A publish: skipped when the same film is already at the destination; the link is signed every run.
    func publish(_ stage: PublishStage, films: [Artifact]) async -> StageBoard.Outcome {
        guard let film = films.first else { return halt(stage.name, "there is no film to publish") }
        let outcome = await single(stage: stage.name, item: stage.name, total: 1) {
            try stage.work(input: film, session: pipeline.session).key
        } make: { _ in
            try await stage.make(try stage.work(input: film, session: pipeline.session), stores: engine.stores, workDirectory: scratch,
                           copies: copies)
        }
        guard case let .finished(published) = outcome, let video = published.first else { return outcome }
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
                $0.output = video.location
                $0.link = link?.url.absoluteString
                $0.linkExpires = link?.expires
                $0.record = record
                $0.recordLocation = stage.options.record?.description
                $0.contactSheet = record?.video.contactSheet
            }
            emit(.published, stage: stage.name, item: stage.name) {
                $0.location = video.location
                $0.link = link?.url.absoluteString
                $0.expires = link?.expires
            }
            return outcome
        } catch {
            return halt(stage.name, "the video is at \(video.location), but: \(error)")
        }
    }

    /// Reports a problem that does not stop the run.
    func warn(_ text: String, stage: String) {
        tally.update { $0.warnings.append(text) }
        emit(.warning, stage: stage) { $0.reason = text }
    }

    /// A stage of one item (merge, publish): its record decides; a new result is recorded.
    private func single(stage name: String, item: String, total: Int,
                        key makeKey: () throws -> ContentKey,
                        make: @Sendable (ContentKey) async throws -> Artifact) async -> StageBoard.Outcome {
        let key: ContentKey
        let decision: Decision
        do {
            key = try makeKey()
            decision = try await engine.decide(key, item: item, stage: name, in: checkpoints)
        } catch {
            return halt(name, "\(error)")
        }
        if case let .cached(artifact, _) = decision {
            tally.update { $0.stagesSkipped.append(name) }
            emit(.stageStarted, stage: name) {
                $0.total = total
                $0.cached = 1
            }
            emit(.stageFinished, stage: name) {
                $0.total = total
                $0.succeeded = 1
                $0.failed = 0
            }
            return .finished([artifact])
        }
        emit(.stageStarted, stage: name) {
            $0.total = total
            $0.cached = 0
        }
        guard !Task.isCancelled, control.stopReason == nil else {
            tally.update { $0.notStarted += 1 }
            return .halted("not started")
        }
        emit(.itemStarted, stage: name, item: item)
        do {
            let artifact = try await make(key)
            try await checkpoints.write(CheckpointRecord(pipeline: pipeline.name, stage: name, key: key.hex, item: item,
                                                         state: .succeeded, inputs: key.inputs, output: artifact))
            tally.update { $0.stagesRun.append(name) }
            emit(.itemSucceeded, stage: name, item: item) { $0.location = artifact.location }
            emit(.stageFinished, stage: name) {
                $0.total = total
                $0.succeeded = 1
                $0.failed = 0
            }
            return .finished([artifact])
        } catch {
            if Task.isCancelled || Self.isCancellation(error) {
                tally.update { $0.notStarted += 1 }
                return .halted("interrupted")
            }
            let reason = Self.describe(error, taskID: nil)
            tally.update { $0.failures.append(.init(stage: name, item: item, reason: reason, skipped: false)) }
            emit(.itemFailed, stage: name, item: item) {
                $0.reason = reason
                $0.skipped = false
            }
            emit(.stageFinished, stage: name) {
                $0.total = total
                $0.succeeded = 0
                $0.failed = 1
            }
            return halt(name, reason)
        }
    }
}
