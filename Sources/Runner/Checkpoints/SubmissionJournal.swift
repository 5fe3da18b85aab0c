import Foundation
import Stages

/// A local, append-only note of every paid task the moment its POST is answered, before its `submitted`
/// record reaches the state (one S3 PUT can take tens of milliseconds). A run killed in between leaves the
/// task here, and the next run on this machine resumes it instead of paying again. Beside the manifest:
/// `.runner/journal/<pipeline>.jsonl`; cleared when a run succeeds.
struct SubmissionJournal: Sendable {
    struct Entry: Codable, Sendable {
        var stage: String
        var key: String
        var taskID: String
        var credits: Double
    }

    let path: String
    /// Holds the journal's writes to the run's allowed folders.
    let stores: StoreCache?

    init(directory: String, pipeline: String, stores: StoreCache? = nil) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(".runner/journal/\(pipeline).jsonl").path
        self.stores = stores
    }

    /// Appends one line with a single write (O_APPEND): a reader sees whole lines, a kill loses none written.
    /// Nothing is written when the journal's path leads out of the project (a symbolic `.runner` folder), and the
    /// file itself is never a symbolic link followed (O_NOFOLLOW): the journal is a note, the record is what counts.
    func append(_ entry: Entry) {
        guard var line = try? JSONEncoder().encode(entry) else { return }
        line.append(0x0A)
        if let stores {
            do { try stores.checkWrite(path: path) } catch { return }
        }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The latest task per stage and key (`stage/key`).
    func entries() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var found: [String: Entry] = [:]
        for line in data.split(separator: 0x0A) {
            // A torn last line (a kill mid-write) is skipped; every whole line before it counts.
            // So is a line whose task id is not one (the journal is a local file anyone could edit): it would go
            // into a request path.
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line)),
                RecordProblem.isTaskID(entry.taskID),
                entry.credits.isFinite, entry.credits >= 0
            else { continue }
            found[entry.stage + "/" + entry.key] = entry
        }
        return found
    }

    /// Forgets every entry (their records are in the state now).
    func clear() {
        unlink(path)
    }
}
