import Foundation
import Manifest
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

/// What became of a recorded output, as the caller found it (the decision itself does no I/O).
enum OutputCheck: Sendable, Equatable {
    /// There, with the recorded size (and SHA-256, where the caller hashed it).
    case matches
    /// Not there.
    case missing
    /// There, but not what the record describes; `what` says how ("is 12 bytes, not 40 as recorded").
    case differs(String)
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

    /// The decision for the item `item` with `key`, whose output the runner puts at `expectedOutput` (the location
    /// text the stage would write now). A succeeded record counts only when its output is at that location and
    /// `check` finds it as recorded: a record edited to point at another file (a state file is not trusted) makes
    /// the item run again, and that other location is never printed or used.
    func decide(key: ContentKey, item: String, expectedOutput: Location, check: (Artifact) -> OutputCheck) -> Decision {
        if let record = records[key.hex] {
            switch record.state {
            case .succeeded:
                if let output = record.output {
                    guard output.location == expectedOutput else {
                        // Another name in the same folder: the stage's naming (`clipName`) changed since. The record
                        // is not trusted to point at another object, so the item is made again, and plan says so.
                        if output.location.parent == expectedOutput.parent {
                            return .run(
                                reason: "its output was stored as \(InertText.escaped(output.location.lastComponent)), "
                                    + "not \(InertText.escaped(expectedOutput.lastComponent)) (the stage's clipName changed)"
                            )
                        }
                        return .run(reason: "its record names an output other than the runner's own location for it")
                    }
                    switch check(output) {
                    case .matches: return .cached(output, record)
                    case .missing: return .run(reason: "its output \(expectedOutput) is gone")
                    case .differs(let what): return .run(reason: "its output \(expectedOutput) \(what)")
                    }
                }
                return .run(reason: "its record has no output")
            case .submitted:
                if let taskID = record.taskID { return .resume(taskID: taskID, record: record) }
                return .run(reason: "it was started but not finished")
            case .failed:
                // A stored reason is text from a server or a state file: printed inert.
                let reason = InertText.escaped(record.failure?.reason ?? "unknown reason")
                if record.failure?.retryable == true {
                    return .run(reason: "it failed before (\(reason)); trying again")
                }
                if retryFailed { return .run(reason: "it failed before (\(reason)); --retry-failed") }
                return .failedBefore(reason: reason)
            }
        }
        guard let previous = latestByItem[item] else { return .run(reason: nil) }
        // `kind` is the runner's own format version: a change there is the runner's, not the user's.
        let changed = ContentKey.changes(from: previous.inputs, to: key.inputs).map {
            $0 == "kind" ? "runner format" : InertText.escaped($0)
        }
        return .run(reason: changed.isEmpty ? "its inputs changed" : changed.joined(separator: ", ") + " changed")
    }
}
