import Foundation
import Manifest
import Runner

/// Starts, follows, cancels and resumes runs: each through the engine (`PipelineEngine.plan` then `apply`), its
/// events stored as they come and handed to whoever follows the run. Runs that share a state folder and pipeline
/// (and so the pipeline's lock) run one after another, in the order they were asked for.
public actor RunManager {
    let store: RunStore
    let template: ServeTemplate
    let environment: [String: String]
    let secrets: SecretValues
    let scratch: URL
    let metrics: ServerMetrics
    let windows: AccountWindows
    /// A few runs plan at once, in order (`PlanningWindow`).
    let planning = PlanningWindow()

    /// A run this server is running or about to run.
    struct LiveRun {
        var run: StoredRun
        var events: [StoredEvent]
        var task: Task<Void, Never>?
        var subscribers: [UUID: AsyncStream<StoredEvent>.Continuation] = [:]
        var finishWaiters: [UUID: AsyncStream<Void>.Continuation] = [:]
        var cancelRequested = false
    }

    private var live: [String: LiveRun] = [:]
    /// The last run asked for per lock (state folder and pipeline name).
    private var lastOnLock: [String: String] = [:]
    /// Set when the server stops: runs cut short stay `running`, to be resumed by the next server.
    private var stopping = false

    public init(
        store: RunStore, template: ServeTemplate, environment: [String: String], metrics: ServerMetrics,
        windows: AccountWindows = AccountWindows(),
        scratch: URL = FileManager.default.temporaryDirectory
    ) {
        self.store = store
        self.template = template
        self.environment = environment
        // Events and records hold the presigned links the runs hand out: those keep their access key id.
        secrets = SecretValues(environment: environment).keepingPresignedLinkCredentials(of: environment)
        self.scratch = scratch
        self.metrics = metrics
        self.windows = windows
    }

    static func newID() -> String {
        "run_" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))
    }

    /// Checks the request against the template, stores the run and starts it (after earlier runs on its lock).
    public func create(_ variables: RunVariables) async throws(ServeError) -> StoredRun {
        let pipeline = try template.pipeline(for: variables)
        var run = StoredRun(id: Self.newID(), variables: variables, created: Date())
        run.progress = RunProgress(generateStages: Self.generateStages(of: pipeline))
        do { try await store.save(run) } catch { throw .upstream("the run could not be stored: \(error)") }
        metrics.runStarted()
        launch(run, events: [], pipeline: pipeline)
        return run
    }

    /// Starts again every run a previous server left unfinished; their checkpoints make them pay for nothing twice.
    /// Returns how many were resumed.
    @discardableResult
    public func resumeUnfinished() async throws -> Int {
        let runs = try await store.unfinished()
        for var run in runs {
            let events = (try? await store.events(of: run.id)) ?? []
            run.eventCount = events.last?.sequence ?? run.eventCount
            do {
                let pipeline = try template.pipeline(for: run.variables)
                run.progress.generateStages = Self.generateStages(of: pipeline)
                launch(run, events: events, pipeline: pipeline)
            } catch {
                run.status = .failed
                run.error = secrets.scrub("it could not be resumed: \(error)")
                run.updated = Date()
                try? await store.save(run)
            }
        }
        return runs.count
    }

    static func generateStages(of pipeline: Pipeline) -> [String] {
        pipeline.orderedStages.compactMap { stage in
            if case .generate = stage.kind { return stage.name }
            return nil
        }
    }

    private func launch(_ run: StoredRun, events: [StoredEvent], pipeline: Pipeline) {
        let lock = pipeline.state.description + "\u{0}" + pipeline.name
        let previous = lastOnLock[lock].flatMap { finishSignal($0) }
        lastOnLock[lock] = run.id
        live[run.id] = LiveRun(run: run, events: events)
        let id = run.id
        live[id]?.task = Task { await self.execute(id, pipeline: pipeline, after: previous) }
    }

    private nonisolated func execute(_ id: String, pipeline: Pipeline, after previous: AsyncStream<Void>?) async {
        if let previous {
            for await _ in previous { break }
        }
        guard !Task.isCancelled else {
            await finish(id, status: .cancelled, error: nil)
            return
        }
        await update(id) { $0.status = .running }
        let place = await planning.enter()
        defer { place.leave() }
        // The plan apply makes under the lock, and then its events, in the order they came.
        let (stream, continuation) = AsyncStream.makeStream(of: RunNews.self)
        var options = EngineOptions(
            environment: environment, events: { continuation.yield(.event($0)) }, scratchDirectory: scratch,
            windows: windows, lane: id)
        options.planned = { plan in
            continuation.yield(.plan(plan))
            place.leave()
        }
        let engine = PipelineEngine(pipeline: pipeline, options: options)
        let consumer = Task {
            for await news in stream {
                switch news {
                case .plan(let plan):
                    await self.update(id) {
                        $0.plan = EventJSON.encode(plan)
                        $0.progress.start(with: plan)
                    }
                case .event(let event):
                    await self.record(id, event)
                }
            }
        }
        var status = RunStatus.failed
        var error: String?
        do {
            let summary = try await engine.apply()
            switch summary.outcome {
            case .succeeded: status = .succeeded
            case .failed: (status, error) = (.failed, summary.reason ?? "the run failed")
            case .interrupted: (status, error) = (.cancelled, "cancelled; a new run with the same session resumes it")
            }
        } catch let failure {
            (status, error) = Task.isCancelled ? (.cancelled, "cancelled") : (.failed, "\(failure)")
        }
        continuation.finish()
        await consumer.value
        await finish(id, status: status, error: error)
    }

    /// What a running engine tells the manager: its plan, once, then its events.
    private enum RunNews: Sendable {
        case plan(PipelinePlan)
        case event(RunEvent)
    }

    private func update(_ id: String, _ change: @Sendable (inout StoredRun) -> Void) async {
        guard var entry = live[id] else { return }
        change(&entry.run)
        entry.run.updated = Date()
        live[id] = entry
        try? await store.save(entry.run)
    }

    /// Stores one event, folds it into the progress and hands it to the run's followers.
    private func record(_ id: String, _ event: RunEvent) async {
        guard var entry = live[id] else { return }
        entry.run.eventCount += 1
        let stored = StoredEvent(
            sequence: entry.run.eventCount, kind: event.kind.rawValue, json: secrets.scrub(EventJSON.line(event)))
        entry.run.progress.apply(event)
        entry.run.updated = Date()
        if case .runFinished(let summary) = event.fact {
            entry.run.summary = secrets.scrub(EventJSON.encode(summary))
            entry.run.record = summary.record.map { secrets.scrub(EventJSON.encode($0)) }
        }
        if case .itemSubmitted = event.fact { metrics.taskSubmitted() }
        if case .itemSucceeded = event.fact { metrics.itemMade() }
        entry.events.append(stored)
        live[id] = entry
        for subscriber in entry.subscribers.values { subscriber.yield(stored) }
        try? await store.append([stored], to: id)
        try? await store.save(entry.run)
    }

    private func finish(_ id: String, status: RunStatus, error: String?) async {
        guard var entry = live[id] else { return }
        // A run the stopping server cut short stays unfinished, for the next server to resume.
        if stopping && !entry.cancelRequested {
            entry.run.updated = Date()
            try? await store.save(entry.run)
        } else {
            entry.run.status = entry.cancelRequested && status != .succeeded ? .cancelled : status
            entry.run.error = status == .succeeded ? nil : error.map(secrets.scrub)
            entry.run.updated = Date()
            try? await store.save(entry.run)
            metrics.runFinished(entry.run.status)
        }
        live[id] = nil
        for subscriber in entry.subscribers.values { subscriber.finish() }
        for waiter in entry.finishWaiters.values {
            waiter.yield()
            waiter.finish()
        }
    }

    /// A stream that yields once the run ends (at once when it is not running here); nil for no run.
    private func finishSignal(_ id: String) -> AsyncStream<Void>? {
        guard live[id] != nil else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        live[id]?.finishWaiters[UUID()] = continuation
        return stream
    }

    /// The run as it is now.
    public func run(_ id: String) async -> StoredRun? {
        if let entry = live[id] { return entry.run }
        return try? await store.run(id)
    }

    /// Runs of `users` (all when nil), newest first.
    public func runs(users: Set<UserID>?) async throws -> [StoredRun] {
        var runs = try await store.runs(users: users)
        for index in runs.indices { if let entry = live[runs[index].id] { runs[index] = entry.run } }
        return runs
    }

    /// Waits until the run ends or `limit` passes, and returns it as it is then.
    public func wait(for id: String, upTo limit: Duration) async -> StoredRun? {
        if let signal = finishSignal(id) {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in signal { break } }
                group.addTask { try? await Task.sleep(for: limit) }
                await group.next()
                group.cancelAll()
            }
        }
        return await run(id)
    }

    /// Asks a run to stop: nothing new is submitted, tasks in flight stay recorded (a new run resumes them).
    public func cancel(_ id: String) async -> StoredRun? {
        guard var entry = live[id] else { return try? await store.run(id) }
        entry.cancelRequested = true
        live[id] = entry
        entry.task?.cancel()
        return entry.run
    }

    /// The run's events after `sequence`, then the ones to come until it ends; nil for no run. While the run is live,
    /// an event numbered 0 comes every `keepalive` (a stream's sign of life, not an event of the run).
    public func events(of id: String, after sequence: Int, keepalive: Duration = .seconds(15)) async
        -> AsyncStream<StoredEvent>?
    {
        let (stream, continuation) = AsyncStream.makeStream(of: StoredEvent.self)
        if let entry = live[id] {
            for event in entry.events where event.sequence > sequence { continuation.yield(event) }
            let token = UUID()
            live[id]?.subscribers[token] = continuation
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepalive)
                    continuation.yield(StoredEvent(sequence: 0, kind: "", json: ""))
                }
            }
            continuation.onTermination = { _ in
                beat.cancel()
                Task { await self.unsubscribe(id, token) }
            }
            return stream
        }
        guard (try? await store.run(id)) != nil else { return nil }
        for event in (try? await store.events(of: id, after: sequence)) ?? [] { continuation.yield(event) }
        continuation.finish()
        return stream
    }

    private func unsubscribe(_ id: String, _ token: UUID) {
        live[id]?.subscribers[token] = nil
    }

    /// Stops every run for a server that is stopping: they stay unfinished and the next server resumes them.
    public func stop() async {
        stopping = true
        let tasks = live.values.compactMap(\.task)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// Runs in progress.
    public var activeCount: Int { live.count }
}
