import Foundation
import Manifest
import Stages

extension ApplyRun {
    /// A merge: skipped when a film of the same clips and options exists, otherwise made and recorded.
    func merge(_ stage: MergeStage, clips: [Artifact]) async -> StageBoard.Outcome {
        guard !clips.isEmpty else { return halt(stage.name, StageError.nothingToMerge(stage: stage.name).description) }
        let work: MergeWork
        do { work = try stage.work(inputs: clips, folder: checkpoints.folder(of: stage.name)) } catch { return halt(stage.name, "\(error)") }
        return await single(stage: stage.name, key: work.key, output: work.output) {
            try await stage.make(work, stores: engine.stores, workDirectory: scratch, copies: copies,
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
        let work: PublishWork
        do { work = try stage.work(input: film, session: pipeline.session) } catch { return halt(stage.name, "\(error)") }
        let outcome = await single(stage: stage.name, key: work.key, output: work.destination) {
            try await stage.make(work, stores: engine.stores, workDirectory: scratch, copies: copies)
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

    /// Reports a problem that does not stop the run.
    func warn(_ text: String, stage: String) {
        tally.update { $0.warnings.append(text) }
        emit(.warning, stage: stage) { $0.reason = text }
    }

    /// A stage of one item (merge, publish), named as its stage: its record decides; a new result is recorded.
    private func single(stage name: String, key: ContentKey, output: Location,
                        make: @Sendable () async throws -> Artifact) async -> StageBoard.Outcome {
        let decision: Decision
        do {
            decision = try await engine.decide(key, item: name, stage: name, output: output, in: checkpoints)
        } catch {
            return halt(name, "\(error)")
        }
        let cached: Artifact? = if case let .cached(artifact, _) = decision { artifact } else { nil }
        emit(.stageStarted, stage: name) {
            $0.total = 1
            $0.cached = cached == nil ? 0 : 1
        }
        if let cached {
            tally.update { $0.stagesSkipped.append(name) }
            finishSingle(name, succeeded: true)
            return .finished([cached])
        }
        guard !Task.isCancelled, control.stopReason == nil else {
            tally.update { $0.notStarted += 1 }
            return .halted("not started")
        }
        emit(.itemStarted, stage: name, item: name)
        do {
            let artifact = try await make()
            try await checkpoints.write(CheckpointRecord(pipeline: pipeline.name, stage: name, key: key.hex, item: name,
                                                         state: .succeeded, inputs: key.inputs, output: artifact))
            tally.update { $0.stagesRun.append(name) }
            emit(.itemSucceeded, stage: name, item: name) { $0.location = artifact.location.description }
            finishSingle(name, succeeded: true)
            return .finished([artifact])
        } catch {
            if Task.isCancelled || ItemFailure.mapping(error).kind == .cancelled {
                tally.update { $0.notStarted += 1 }
                return .halted("interrupted")
            }
            let reason = Self.describe(error, taskID: nil)
            tally.update { $0.failures.append(.init(stage: name, item: name, reason: reason, skipped: false)) }
            emit(.itemFailed, stage: name, item: name) {
                $0.reason = reason
                $0.skipped = false
            }
            finishSingle(name, succeeded: false)
            return halt(name, reason)
        }
    }

    private func finishSingle(_ name: String, succeeded: Bool) {
        emit(.stageFinished, stage: name) {
            $0.total = 1
            $0.succeeded = succeeded ? 1 : 0
            $0.failed = succeeded ? 0 : 1
        }
    }
}
