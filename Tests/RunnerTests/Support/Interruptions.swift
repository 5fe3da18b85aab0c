import Foundation
import Storage
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One item's checkpoint record, as far as these tests read it.
struct RecordSummary: Sendable, Equatable {
    let item: String
    let state: String
    let taskID: String?

    init?(json data: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let item = object["item"] as? String, let state = object["state"] as? String
        else { return nil }
        self.item = item
        self.state = state
        taskID = object["taskID"] as? String
    }
}

extension StartedRunner {
    /// The process id of the runner.
    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` if the process has not exited yet; false when it had.
    @discardableResult
    func send(_ signal: Int32) -> Bool {
        guard process.isRunning else { return false }
        return kill(pid, signal) == 0
    }

    /// Waits without blocking a thread until the process exits or `limit` passes; true when it exited.
    func waitForExit(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Ctrl-C: sends SIGINT and waits up to 30 s for the exit (a run that waited for its tasks instead of stopping
    /// would pass it), then its output; SIGKILL and a failed requirement when it did not exit.
    func interrupt(sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessOutput {
        #expect(send(SIGINT), sourceLocation: sourceLocation)
        let exited = await waitForExit(limit: .seconds(30))
        if !exited { send(SIGKILL) }
        let output = finish()
        try #require(
            exited, "apply did not exit within 30 s of SIGINT: \(output.stderr)", sourceLocation: sourceLocation)
        return output
    }

    /// Whether the process ended by SIGKILL.
    var wasKilled: Bool { process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL }

    /// The JSON events it printed (`--format json`).
    func events() -> [[String: Any]] {
        let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}

extension PipelineProject {
    /// Starts `runner apply` on the project's manifest with JSON events on stdout.
    func startApply(tag: String) throws -> StartedRunner {
        try start(["apply", manifest, "--format", "json"], tag: tag)
    }

    /// Runs `runner apply` to completion (at most `limit`) without blocking a thread; kills it on the limit.
    func apply(tag: String, limit: Duration = .seconds(120)) async throws -> ProcessOutput {
        let started = try startApply(tag: tag)
        if !(await started.waitForExit(limit: limit)) {
            started.send(SIGKILL)
            _ = await started.waitForExit(limit: .seconds(10))
            Issue.record("`runner apply` (\(tag)) did not finish within \(limit); killed")
        }
        return started.finish()
    }

    /// The local state folder of pipeline `name` (the default `.runner/state/` beside the manifest).
    func stateFolder(_ name: String) -> URL {
        folder.appendingPathComponent(".runner/state/\(name)")
    }

    /// The records of a stage in the local state, by file name; temporary files of unfinished writes are left out.
    func localRecords(pipeline name: String, stage: String = "clips") -> [RecordSummary] {
        let stageFolder = stateFolder(name).appendingPathComponent(stage)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stageFolder.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            (try? Data(contentsOf: stageFolder.appendingPathComponent(name))).flatMap(RecordSummary.init(json:))
        }
    }

    /// The task ids in pipeline `name`'s submission journal (`.runner/journal/<name>.jsonl`), whole lines only.
    func journalTaskIDs(pipeline name: String) -> Set<String> {
        let text =
            (try? String(contentsOf: folder.appendingPathComponent(".runner/journal/\(name).jsonl"), encoding: .utf8))
            ?? ""
        return Set(
            text.split(separator: "\n").compactMap { line in
                ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["taskID"] as? String
            })
    }

    /// Every path under the project, relative to it, whose name is a store's temporary file (`.NAME.runner-UUID.tmp`).
    func temporaryFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            if name.contains(".runner-"), name.hasSuffix(".tmp") { found.append(relative) }
        }
        return found.sorted()
    }
}

extension Cloud {
    /// The records of a stage in S3 state under `state/<pipeline>/`.
    func s3Records(pipeline name: String, stage: String = "clips") async throws -> [RecordSummary] {
        var found: [RecordSummary] = []
        for try await object in store.list(prefix: "state/\(name)/\(stage)/") where object.key.hasSuffix(".json") {
            if let record = RecordSummary(json: try await store.read(object.key)) { found.append(record) }
        }
        return found
    }

    /// The ids of every task the double created for this tenant.
    func taskIDs() async throws -> Set<String> {
        let tasks = try #require(try await tenant.stats()["tasks"] as? [String: Any])
        return Set(tasks.keys)
    }

    /// When the double created a task (its `createdAt`, to the millisecond).
    func createdAt(task id: String) async throws -> Date? {
        var request = URLRequest(url: tenant.base.appendingPathComponent("v1/tasks/\(id)"))
        request.setValue("Bearer \(tenant.key)", forHTTPHeaderField: "Authorization")
        request.setValue("2024-11-06", forHTTPHeaderField: "X-Runway-Version")
        let (data, _) = try await URLSession.shared.data(for: request)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let text = object["createdAt"] as? String
        else { return nil }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// The bytes of an object.
    func bytes(of key: String) async throws -> Data {
        try await store.read(key)
    }
}

/// Polls `condition` every 50 ms until it holds or `limit` passes; true when it held.
func eventually(limit: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try await condition() { return true }
        if ContinuousClock.now > deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// Where a test pipeline keeps its checkpoints: the default local folder, or `s3://BUCKET/state/`.
enum StateKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local, s3

    var testDescription: String { self == .local ? "local state" : "S3 state" }
}

/// The checkpoint state of one test pipeline, wherever it is kept.
struct PipelineState {
    let kind: StateKind
    let project: PipelineProject
    let cloud: Cloud
    let name: String

    /// The manifest's `state` value (nil: the default local folder).
    var manifestValue: String? { kind == .s3 ? "s3://\(cloud.bucket)/state/" : nil }

    /// The records of the clips stage.
    func records() async throws -> [RecordSummary] {
        switch kind {
        case .local: return project.localRecords(pipeline: name)
        case .s3: return try await cloud.s3Records(pipeline: name)
        }
    }

    /// Whether `lock.json` exists.
    func lockExists() async -> Bool {
        switch kind {
        case .local:
            return FileManager.default.fileExists(
                atPath: project.stateFolder(name).appendingPathComponent("lock.json").path)
        case .s3: return (try? await cloud.store.head("state/\(name)/lock.json")) != nil
        }
    }
}

/// Hands out pre-drawn kill moments to concurrent lanes until `kills` of them have interrupted a run.
actor MomentDispenser {
    enum Outcome: Sendable {
        /// The run had finished before the moment (it ran for `ranFor` seconds): it interrupted nothing.
        case missed(ranFor: Double)
        case killed
        /// Killed, leaving a task that no record names.
        case killedLeavingUnrecordedTask
    }

    enum Next: Sendable {
        case moment(index: Int, delay: Double)
        /// Every kill still needed is in flight; one of them may miss.
        case wait
        case done
    }

    private let fractions: [Double]
    private let kills: Int
    /// The seconds moments are drawn within: the reference run's, shortened to any run that finished
    /// sooner (the reference may have run on a busier machine than the runs killed later).
    private var span: Double
    private var drawn = 0, inFlight = 0, hits = 0, orphaned = 0

    /// Moments at `fractions` (each in 0...1) of `span` seconds.
    init(fractions: [Double], span: Double, kills: Int) {
        self.fractions = fractions
        self.span = span
        self.kills = kills
    }

    func next() -> Next {
        if hits >= kills || (drawn >= fractions.count && inFlight == 0) { return .done }
        if hits + inFlight >= kills || drawn >= fractions.count { return .wait }
        defer {
            drawn += 1
            inFlight += 1
        }
        return .moment(index: drawn, delay: fractions[drawn] * span)
    }

    func finished(_ outcome: Outcome) {
        inFlight -= 1
        switch outcome {
        case .missed(let ranFor): span = min(span, ranFor)
        case .killed: hits += 1
        case .killedLeavingUnrecordedTask:
            hits += 1
            orphaned += 1
        }
    }

    /// Kills that interrupted a run, moments used, and kills that left a task no record names.
    var totals: (hits: Int, draws: Int, orphaned: Int) { (hits, drawn, orphaned) }
}
