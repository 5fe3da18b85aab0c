import Foundation
import Manifest
import Stages
import Storage
import Synchronization

/// The checkpoint records of one pipeline, in a local folder or under an S3 prefix (the same code for both,
/// so CI jobs can share state): `STATE/<pipeline>/<stage>/<key>.json`, each written in one atomic step.
public struct CheckpointStore: Sendable {
    /// The pipeline's folder in the state location.
    public let folder: Location
    let store: any ObjectStore
    let prefix: String
    /// Holds local writes to the run's allowed folders.
    let stores: StoreCache

    /// The records of `pipeline` under `state`.
    public static func open(state: Location, pipeline: String, stores: StoreCache) async throws -> CheckpointStore {
        let folder = state.appending(pipeline + "/")
        let (store, prefix) = try await stores.open(folder)
        return CheckpointStore(folder: folder, store: store, prefix: prefix, stores: stores)
    }

    /// Throws `WriteRefusal` when writing `key` of the state would land outside the run's allowed folders (a state
    /// folder, or a folder in it, that is a symbolic link leading out of the project).
    func checkWrite(_ key: String) throws(WriteRefusal) {
        try stores.checkWrite(store, key: key)
    }

    /// The project folder (the manifest's, as the run's write boundary resolved it): local locations in records are
    /// stored relative to it, so a moved or re-cloned project (a CI checkout at another path) finds its outputs.
    var project: String? { stores.boundary?.roots.first?.path }

    /// `record` as it is stored: local locations inside the project relative to it.
    func stored(_ record: CheckpointRecord) -> CheckpointRecord {
        guard let project, let output = record.output else { return record }
        var copy = record
        copy.output = output.relative(to: project)
        return copy
    }

    /// `record` as read: relative locations made absolute against this project; absolute ones (records written
    /// before locations were stored relative) kept as they are.
    static func resolved(_ record: CheckpointRecord, project: String?) -> CheckpointRecord {
        guard let project, let output = record.output else { return record }
        var copy = record
        copy.output = output.resolved(against: project)
        return copy
    }

    /// The folder of a stage's records (and of a merge's film).
    public func folder(of stage: String) -> Location { folder.appending(stage + "/") }

    /// Every record of `stage`, by key. A record that cannot be read is reported, not ignored: state
    /// that is silently dropped would make the runner pay for work it has done.
    public func records(of stage: String) async throws -> [String: CheckpointRecord] {
        let stagePrefix = prefix + stage + "/"
        var keys: [String] = []
        for try await object in store.list(prefix: stagePrefix) where object.key.hasSuffix(".json") {
            // Only `<64 hex digits>.json` is a record; anything else in the folder is not ours to read.
            let name = object.key.dropFirst(stagePrefix.count).dropLast(".json".count)
            if name.count == 64, name.allSatisfy(\.isHexDigit) { keys.append(object.key) }
        }
        // Local reads are cheap; S3 reads are round trips, sixteen in flight.
        var contents: [(String, Data)] = []
        if store.localPath(of: stagePrefix) != nil {
            for key in keys { contents.append((key, try await store.read(key))) }
        } else {
            let store = self.store
            let read = Mutex<[(String, Data)]>([])
            try await forEachConcurrently(keys, limit: 16) { (key: String) async throws(StorageError) in
                let data = try await store.read(key)
                read.withLock { $0.append((key, data)) }
            }
            contents = read.withLock { $0 }
        }
        // Decoding is most of the CPU of a plan over thousands of records: two halves at once.
        let folder = self.folder(of: stage)
        let project = self.project
        let half = (contents.count + 1) / 2
        return try await withThrowingTaskGroup(of: [String: CheckpointRecord].self) { group in
            for part in [contents[..<half], contents[half...]] where !part.isEmpty {
                group.addTask {
                    let decoder = StoredDates.recordDecoder
                    var records: [String: CheckpointRecord] = [:]
                    for (key, data) in part {
                        let name = String(key.dropFirst(stagePrefix.count))
                        let record = try Self.decodeRecord(
                            data, decoder: decoder, location: folder.appending(name).description,
                            stage: stage, key: String(name.dropLast(".json".count)))
                        records[record.key] = Self.resolved(record, project: project)
                    }
                    return records
                }
            }
            var all: [String: CheckpointRecord] = [:]
            for try await part in group { all.merge(part) { first, _ in first } }
            return all
        }
    }

    /// The record of `key` in `stage`, if any.
    public func record(stage: String, key: String) async throws -> CheckpointRecord? {
        guard let data = try await store.readIfPresent(recordKey(stage: stage, key: key)) else { return nil }
        let record = try Self.decodeRecord(
            data, decoder: StoredDates.recordDecoder, location: folder(of: stage).appending(key + ".json").description,
            stage: stage, key: key)
        return Self.resolved(record, project: project)
    }

    /// Writes a record, replacing the one for the same item.
    public func write(_ record: CheckpointRecord) async throws {
        let key = recordKey(stage: record.stage, key: record.key)
        try checkWrite(key)
        try await store.write(key, json: try StoredDates.recordEncoder.encode(stored(record)))
    }

    /// A record's bytes decoded and checked: a record that is not JSON of the record format, or whose fields are
    /// not believable (another item's key, a task id that is not one), is reported with its file and what to do.
    static func decodeRecord(_ data: Data, decoder: JSONDecoder, location: String, stage: String, key: String) throws
        -> CheckpointRecord
    {
        let record: CheckpointRecord
        do {
            record = try decoder.decode(CheckpointRecord.self, from: data)
        } catch let error as DecodingError {
            throw CheckpointError.unreadableRecord(
                location: InertText.escaped(location), reason: RecordProblem.describe(error))
        } catch {
            throw CheckpointError.unreadableRecord(
                location: InertText.escaped(location), reason: InertText.escaped("\(error)"))
        }
        if let problem = record.problem(stage: stage, key: key) {
            throw CheckpointError.unreadableRecord(location: InertText.escaped(location), reason: problem)
        }
        return record
    }

    func recordKey(stage: String, key: String) -> String { prefix + stage + "/" + key + ".json" }

    /// Dates to the millisecond: records of one item written within a second must still sort.
    static let dateStyle = StoredDates.style

}

/// Problems with the state itself.
public enum CheckpointError: Error, Sendable, CustomStringConvertible {
    /// A record is not valid JSON of the record format.
    case unreadableRecord(location: String, reason: String)
    /// Another run holds the pipeline's lock.
    case locked(holder: LockHolder, location: String)

    public var description: String {
        switch self {
        case .unreadableRecord(let location, let reason):
            return
                "the checkpoint record \(location) cannot be used: \(reason). Delete it to make that item again, or restore it"
        case .locked(let holder, let location):
            return "pipeline is locked by another run: \(holder.summary) (lock \(location)). Wait for it to finish; "
                + "if that run is gone, delete the lock or rerun with --force-unlock"
        }
    }
}
