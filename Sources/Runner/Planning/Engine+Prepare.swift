import Foundation
import Manifest
import Stages

/// The frames and clip decisions of a pipeline, worked out once for both plan and apply (and the budget check).
struct PreparedPipeline: Sendable {
    /// A generate stage's clips, each with its decision.
    struct Clips: Sendable {
        let stage: GenerateStage
        let works: [ClipWork]
        let decisions: [Decision]

        /// Credits of the clips that would be submitted anew.
        var newCredits: Double {
            zip(works, decisions).reduce(0) { sum, pair in
                if case .run = pair.1 { return sum + pair.0.estimatedCredits }
                return sum
            }
        }
    }

    var frames: [String: [Artifact]] = [:]
    /// Each frames stage's images refused for their names (they are neither read nor written).
    var refused: [String: [RefusedFrame]] = [:]
    /// Each frames stage's files that are not frames (sidecars, hidden files, other types), with their reasons.
    var skipped: [String: [FrameListing.Skipped]] = [:]
    var clips: [String: Clips] = [:]
    /// What earlier runs' clips of each model were estimated and charged (records with both figures).
    var costHistory: [String: PipelinePlan.ModelCost] = [:]

    var newCredits: Double { clips.values.reduce(0) { $0 + $1.newCredits } }

    /// The credits the new clips are expected to be charged: each model's maximum at the share of it that earlier
    /// runs of that model were really charged (the maximum itself where no run recorded a charge).
    var expectedNewCredits: Double {
        clips.values.reduce(0) { sum, clips in
            sum + clips.newCredits * (costHistory[clips.stage.options.model]?.chargedShare ?? 1)
        }
    }
}

extension PipelineEngine {
    /// Throws `UnusableFrames` when frames refused for their content feed a generate stage under
    /// `onFailure: fail`: apply stops before its first paid submission. Under `skip` they are left out.
    func refuseUnusableFrames(_ prepared: PreparedPipeline) throws {
        for stage in orderedStages {
            guard case let .generate(options) = stage.kind, options.onFailure == .fail else { continue }
            let unusable = stage.needs.flatMap { prepared.refused[$0] ?? [] }.filter { $0.kind == .content }
            if !unusable.isEmpty { throw UnusableFrames(stage: stage.name, frames: unusable) }
        }
    }

    /// Lists every frames stage and decides every clip against the checkpoints.
    func prepare(_ checkpoints: CheckpointStore) async throws -> PreparedPipeline {
        var prepared = PreparedPipeline()
        let journal = self.journal.entries()
        // Each generate stage's records and clip listing are read while the frames are listed and hashed.
        var records: [String: Task<[String: CheckpointRecord], any Error>] = [:]
        var listings: [String: Task<[Location: Int64], any Error>] = [:]
        for stage in orderedStages {
            guard case let .generate(options) = stage.kind else { continue }
            records[stage.name] = Task { try await checkpoints.records(of: stage.name) }
            listings[stage.name] = Task { try await existingObjects(under: options.to) }
        }
        for stage in orderedStages {
            switch stage.kind {
            case let .frames(options):
                let selection = try await FramesStage(name: stage.name, options: options).select(stores: stores)
                prepared.frames[stage.name] = selection.frames
                prepared.refused[stage.name] = selection.refused
                prepared.skipped[stage.name] = selection.skipped
            case let .generate(options):
                let generate = try generateStage(stage, options)
                let frames = stage.needs.first.flatMap { prepared.frames[$0] } ?? []
                let works = try generate.work(for: frames)
                guard var records = try await records[stage.name]?.value, let existing = try await listings[stage.name]?.value else {
                    continue
                }
                // Tasks a killed run was answered for but had not recorded yet: resumed like recorded ones.
                for work in works where records[work.key.hex] == nil {
                    guard let entry = journal[stage.name + "/" + work.key.hex] else { continue }
                    records[work.key.hex] = CheckpointRecord(pipeline: pipeline.name, stage: stage.name, key: work.key.hex,
                                                             item: work.frame.name, state: .submitted, inputs: work.key.inputs,
                                                             provider: generate.provider.name, taskID: entry.taskID,
                                                             credits: entry.credits)
                }
                for record in records.values {
                    guard let model = record.inputs["model"], let estimated = record.estimatedCredits, let charged = record.chargedCredits,
                          estimated.isFinite, charged.isFinite, estimated > 0, charged >= 0 else { continue }
                    prepared.costHistory[model, default: .init(model: model)].add(estimated: estimated, charged: charged)
                }
                let decider = Decider(records: records, retryFailed: self.options.retryFailed)
                var first: [String: Int] = [:]
                let decisions = works.enumerated().map { index, work in
                    if let earlier = first[work.key.hex] { return Decision.sameAs(index: earlier, item: works[earlier].frame.name) }
                    first[work.key.hex] = index
                    // The listing gives sizes; a clip's SHA-256 is checked where it is read, before it is merged.
                    return decider.decide(key: work.key, item: work.frame.name, expectedOutput: work.clip.standardized) { output in
                        guard let size = existing[output.location] else { return .missing }
                        return size == output.size ? .matches : .differs("is \(size) bytes, not \(output.size) as its record says")
                    }
                }
                prepared.clips[stage.name] = .init(stage: generate, works: works, decisions: decisions)
            case .merge, .publish:
                break
            }
        }
        return prepared
    }
}

/// Frames the runner will not use (empty, truncated, undecodable, too large, an unusable shape) feed a generate stage
/// whose `onFailure` is `fail`: apply stops before anything is submitted (issue #14).
public struct UnusableFrames: Error, Sendable, CustomStringConvertible {
    public let stage: String
    public let frames: [RefusedFrame]

    public var description: String {
        "nothing was submitted: \(frames.count) frame\(frames.count == 1 ? "" : "s") of stage `\(stage)` cannot be used "
            + "(found by the runner, not by a provider):\n" + frames.map { "  ! \($0.name): \($0.reason)" }.joined(separator: "\n")
            + "\nfix or remove \(frames.count == 1 ? "it" : "them"), or set `onFailure: skip` on the stage to leave them out"
    }
}
