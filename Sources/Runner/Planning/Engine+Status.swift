import Foundation
import Manifest
import Stages

/// The checkpoint state of a pipeline: `runner status`.
public struct PipelineStatus: Sendable, Codable {
    public struct Stage: Sendable, Codable {
        public var name: String
        public var type: String
        /// Each item's latest record, by item name; older records of an item (before its inputs changed) are counted.
        public var records: [CheckpointRecord]
        public var olderRecords: Int
    }

    public var pipeline: String
    public var state: String
    public var stages: [Stage]
    /// The run holding the lock, if one does.
    public var lock: LockHolder?
}

extension PipelineEngine {
    /// Reads every record of the pipeline; no listing of frames, no hashing.
    public func status() async throws -> PipelineStatus {
        let checkpoints = try await CheckpointStore.open(state: pipeline.state, pipeline: pipeline.name, stores: stores)
        var stages: [PipelineStatus.Stage] = []
        // Stages that make items have records; a source stage has none.
        for stage in orderedStages {
            guard case .work? = try? StageRegistry.stage(for: stage, in: pipeline) else { continue }
            let records = try await checkpoints.records(of: stage.name).values
            var latest: [String: CheckpointRecord] = [:]
            for record in records where latest[record.item].map({ $0.updated < record.updated }) ?? true {
                latest[record.item] = record
            }
            stages.append(
                .init(
                    name: stage.name, type: stage.type.rawValue,
                    records: latest.values.sorted { NaturalOrder.precedes($0.item, $1.item) },
                    olderRecords: records.count - latest.count))
        }
        return PipelineStatus(
            pipeline: pipeline.name, state: checkpoints.folder.description, stages: stages,
            lock: try await RunLock.holder(of: checkpoints))
    }
}
