import Foundation
import Stages

/// What to do with one work item, from its key, its checkpoint records and whether its output still exists.
enum Decision: Sendable {
    /// Done before, and the output is still there.
    case cached(Artifact, CheckpointRecord)
    /// To be made; `reason` is nil for an item never made before.
    case run(reason: String?)
    /// A paid task exists: poll it.
    case resume(taskID: String, record: CheckpointRecord)
    /// Failed for good before.
    case failedBefore(reason: String)
    /// The same key as an earlier item of the stage (an identical frame with identical options): made once, used twice.
    case sameAs(index: Int, item: String)
}

/// Decides items of one stage against its records.
struct Decider: Sendable {
    let records: [String: CheckpointRecord]
    /// The latest record of each item name, to explain why an item with a new key must run again.
    let latestByItem: [String: CheckpointRecord]
    let retryFailed: Bool

    init(records: [String: CheckpointRecord], retryFailed: Bool) {
        self.records = records
        self.retryFailed = retryFailed
        var latest: [String: CheckpointRecord] = [:]
        for record in records.values where latest[record.item].map({ $0.updated < record.updated }) ?? true {
            latest[record.item] = record
        }
        latestByItem = latest
    }

    func decide(key: ContentKey, item: String, outputExists: (Artifact) -> Bool) -> Decision {
        if let record = records[key.hex] {
            switch record.state {
            case .succeeded:
                if let output = record.output {
                    if outputExists(output) { return .cached(output, record) }
                    return .run(reason: "its output \(output.location) is gone")
                }
                return .run(reason: "its record has no output")
            case .submitted:
                if let taskID = record.taskID { return .resume(taskID: taskID, record: record) }
                return .run(reason: "it was started but not finished")
            case .failed:
                let reason = record.failure?.reason ?? "unknown reason"
                if record.failure?.retryable == true { return .run(reason: "it failed before (\(reason)); trying again") }
                if retryFailed { return .run(reason: "it failed before (\(reason)); --retry-failed") }
                return .failedBefore(reason: reason)
            }
        }
        guard let previous = latestByItem[item] else { return .run(reason: nil) }
        // `kind` is the runner's own format version: a change there is the runner's, not the user's.
        let changed = ContentKey.changes(from: previous.inputs, to: key.inputs).map { $0 == "kind" ? "runner format" : $0 }
        return .run(reason: changed.isEmpty ? "its inputs changed" : changed.joined(separator: ", ") + " changed")
    }
}
