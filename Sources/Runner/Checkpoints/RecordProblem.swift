import Foundation
import Manifest
import Stages

/// What is wrong with a checkpoint record, as a phrase for `CheckpointError.unreadableRecord`. State files are
/// checked, not trusted (docs/security.md): anyone who can write the state folder can edit them.
enum RecordProblem {
    /// A decoding error as a phrase naming the field, never a bare `DecodingError` dump.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return InertText.escaped(text.isEmpty ? "the record" : "`\(text)`")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "it is not valid JSON (it may be truncated)"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)) is not valid"
        case .keyNotFound(let key, let context):
            return "it lacks the field \(field(context.codingPath + [key]))"
        case .typeMismatch(_, let context):
            return "\(field(context.codingPath)) has the wrong type"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath)) is missing"
        @unknown default:
            return "it is not a checkpoint record"
        }
    }

    /// Whether `text` can be a provider's task id: 1 to 128 letters, digits, `-`, `_`, `.` or `:`. A task id goes
    /// into request paths (`/v1/tasks/ID`), so nothing that could change the path passes.
    static func isTaskID(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text != "." && text != ".."
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "-_.:".unicodeScalars.contains(scalar))
            }
    }

    /// Whether `text` is `sha256:` and 64 lower-case hex digits.
    static func isSHA256(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}

extension CheckpointRecord {
    /// Why this record, read from `<stage>/<key>.json`, cannot be believed, or nil.
    func problem(stage expectedStage: String, key expectedKey: String) -> String? {
        if key != expectedKey { return "its `key` is not the one its file is named by" }
        if stage != expectedStage { return "its `stage` is not the stage folder it is in" }
        if let taskID, !RecordProblem.isTaskID(taskID) {
            return "its `taskID` is not a task id (1 to 128 letters, digits, `-`, `_`, `.` or `:`)"
        }
        if InertText.hasControlCharacters(item) { return "its `item` holds control characters" }
        if let output {
            if InertText.hasControlCharacters(output.location.description) {
                return "its `output.location` is empty or holds control characters"
            }
            if output.size < 0 { return "its `output.size` is negative" }
            if !RecordProblem.isSHA256(output.digest.description) {
                return "its `output.digest` is not a SHA-256 digest (sha256:HEX)"
            }
        }
        if let credits, !credits.isFinite || credits < 0 { return "its `credits` is not a number of credits" }
        return nil
    }
}
