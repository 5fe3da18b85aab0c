import Foundation
import Manifest

extension MergeWork: WorkItem {
    /// `3 clips`.
    public var note: String? { "\(inputs.count) clips" }
}

extension MergeStage: PipelineStage {
    /// One film at a time, on this machine.
    public var schedule: StageSchedule { StageSchedule(typicalSeconds: 2) }

    public var waitingNote: String { "its clips are not all made yet" }

    /// `mode auto, mp4`, with the transitions: `, crossfade 0.5 s at every join, 2 single-join transitions`.
    public func summary(lanes: Int, fromAccount: Bool) -> String {
        var parts = ["mode \(options.mode.rawValue)", options.format.rawValue]
        if let transition = options.transition {
            parts.append("\(transition.kind.rawValue) \(transition.duration) s at every join")
        }
        if !options.transitions.isEmpty {
            let count = options.transitions.count
            parts.append("\(count) single-join transition\(count == 1 ? "" : "s")")
        }
        if options.transition != nil || !options.transitions.isEmpty {
            parts.append("only the frames around each join re-encoded when the clips allow")
        }
        return parts.joined(separator: ", ")
    }

    /// One film of every clip, kept in the stage's state folder; throws when there is no clip to merge.
    public func items(from inputs: [Artifact], in context: StageContext) throws -> [MergeWork] {
        guard !inputs.isEmpty else { throw StageError.nothingToMerge(stage: name) }
        return [try work(inputs: inputs, folder: context.stateFolder)]
    }

    /// Merges the clips, telling `run` the share done and any warning.
    public func make(_ item: MergeWork, in context: StageContext, run: any ItemRun) async throws(ItemFailure)
        -> MadeItem
    {
        do {
            return MadeItem(
                try await make(
                    item, stores: context.stores, workDirectory: context.scratch, copies: context.copies,
                    session: context.streamedInputs as? Session, warning: { run.warning($0) }
                ) { done, count in
                    run.status(.merging(progress: Double(done) / Double(max(count, 1))))
                })
        } catch {
            throw ItemFailure.mapping(error)
        }
    }
}

extension MergeStage: StreamingInputs {
    /// A session that makes the film while the clips land (`Session`), when the merge can be made so.
    public func inputConsumer(count: Int, in context: StageContext) -> (any InputConsumer)? {
        session(clipCount: count, stores: context.stores, workDirectory: context.scratch)
    }
}

extension MergeStage.Session: InputConsumer {
    public func land(_ index: Int, input: Artifact) {
        land(index, clip: input)
    }
}
