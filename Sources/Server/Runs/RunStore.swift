import Foundation
import GRDB

/// The runs and their events, in SQLite (GRDB): what a restarted server lists, streams and resumes.
public final class RunStore: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating) the database at `path`; its folder is made when missing.
    public init(path: String) throws(ServeError) {
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw .setting(
                "the runs database \(path)", "cannot be opened (\(error)); give a writable path with --state")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("runs-1") { db in
            try db.create(table: "run") { table in
                table.primaryKey("id", .text)
                table.column("user", .text).notNull().indexed()
                table.column("variables", .text).notNull()
                table.column("status", .text).notNull()
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
                table.column("error", .text)
                table.column("progress", .text).notNull()
                table.column("plan", .text)
                table.column("summary", .text)
                table.column("record", .text)
                table.column("eventCount", .integer).notNull()
            }
            try db.create(table: "event") { table in
                table.column("run", .text).notNull().references("run", onDelete: .cascade)
                table.column("sequence", .integer).notNull()
                table.column("kind", .text).notNull()
                table.column("json", .text).notNull()
                table.primaryKey(["run", "sequence"])
            }
        }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func text<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Runs `updates` even when the calling task is cancelled (GRDB refuses to start work in a cancelled task): a
    /// cancelled run's final state and a stopping server's progress must still be written.
    private func write(_ updates: @escaping @Sendable (Database) throws -> Void) async throws {
        let database = database
        try await Task { try await database.write(updates) }.value
    }

    /// Inserts or replaces `run` (not its events).
    public func save(_ run: StoredRun) async throws {
        let variables = try Self.text(run.variables)
        let progress = try Self.text(run.progress)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, user, variables, status, created, updated, error, progress, plan, summary,
                        record, eventCount)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated = excluded.updated,
                        error = excluded.error, progress = excluded.progress, plan = excluded.plan,
                        summary = excluded.summary, record = excluded.record, eventCount = excluded.eventCount
                    """,
                arguments: [
                    run.id, run.variables.user.value, variables, run.status.rawValue,
                    run.created.timeIntervalSince1970, run.updated.timeIntervalSince1970, run.error, progress, run.plan,
                    run.summary, run.record, run.eventCount,
                ])
        }
    }

    /// Appends events to a run's stream.
    public func append(_ events: [StoredEvent], to run: String) async throws {
        guard !events.isEmpty else { return }
        try await write { db in
            for event in events {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO event (run, sequence, kind, json) VALUES (?, ?, ?, ?)",
                    arguments: [run, event.sequence, event.kind, event.json])
            }
        }
    }

    /// The run with this id.
    public func run(_ id: String) async throws -> StoredRun? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.run(from:))
        }
    }

    /// Runs, newest first: of `users` when given, else all; at most `limit`.
    public func runs(users: Set<UserID>?, limit: Int = 200) async throws -> [StoredRun] {
        try await database.read { db in
            let rows: [Row]
            if let users {
                let names = users.map(\.value)
                guard !names.isEmpty else { return [] }
                let marks = Array(repeating: "?", count: names.count).joined(separator: ",")
                var arguments = StatementArguments(names)
                arguments += [limit]
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM run WHERE user IN (\(marks)) ORDER BY created DESC LIMIT ?",
                    arguments: arguments)
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY created DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map(Self.run(from:))
        }
    }

    /// Runs not yet final, oldest first: the ones a restarted server resumes.
    public func unfinished() async throws -> [StoredRun] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM run WHERE status IN ('queued', 'running') ORDER BY created ASC"
            ).map(Self.run(from:))
        }
    }

    /// A run's events after `sequence`, in order.
    public func events(of run: String, after sequence: Int = 0) async throws -> [StoredEvent] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT sequence, kind, json FROM event WHERE run = ? AND sequence > ? ORDER BY sequence",
                arguments: [run, sequence]
            ).map { StoredEvent(sequence: $0["sequence"], kind: $0["kind"], json: $0["json"]) }
        }
    }

    private static func run(from row: Row) throws -> StoredRun {
        let decoder = JSONDecoder()
        let variables = try decoder.decode(RunVariables.self, from: Data((row["variables"] as String).utf8))
        var run = StoredRun(
            id: row["id"], variables: variables, created: Date(timeIntervalSince1970: row["created"]))
        run.status = RunStatus(rawValue: row["status"]) ?? .failed
        run.updated = Date(timeIntervalSince1970: row["updated"])
        run.error = row["error"]
        run.progress = try decoder.decode(RunProgress.self, from: Data((row["progress"] as String).utf8))
        run.plan = row["plan"]
        run.summary = row["summary"]
        run.record = row["record"]
        run.eventCount = row["eventCount"]
        return run
    }
}
