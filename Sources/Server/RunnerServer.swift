import Foundation
import Hummingbird
import Manifest
import NIOCore
import ServiceLifecycle
import Stages

/// `runner serve`: the original API and the runs API over the engine, on Hummingbird. Build it with `make`, then
/// `run()` until the task is cancelled (or SIGINT/SIGTERM with `runService`).
public struct RunnerServer: Sendable {
    public let settings: ServeSettings
    public let manager: RunManager
    let application: Application<RouterResponder<ServerContext>>

    /// Loads the template, the tokens and the runs database, and lays out the routes. `onListening` gets the bound
    /// port once the server listens (port 0 picks one).
    public static func make(
        _ settings: ServeSettings, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws(ServeError) -> RunnerServer {
        try settings.checkExposure()
        var tokens: TokenTable?
        if let file = settings.tokensFile { tokens = try TokenTable(file: file) }
        let template = try ServeTemplate(path: settings.template, environment: settings.environment)
        let store = try RunStore(path: settings.database)
        let metrics = ServerMetrics()
        let manager = RunManager(
            store: store, template: template, environment: settings.environment, metrics: metrics)
        // Answers hand out presigned links (frames, clips, films): those keep their access key id.
        let answer = Answer(
            secrets: SecretValues(environment: settings.environment).keepingPresignedLinkCredentials(
                of: settings.environment))
        let bodies = RequestBodies(limit: settings.maxBodyBytes)
        let stores = StoreCache(settings: template.probe.s3, environment: settings.environment)
        let presigner = Presigner(stores: stores, expiry: .seconds(24 * 3600))
        let original = OriginalAPI(
            template: template, manager: manager, answer: answer, bodies: bodies, presigner: presigner,
            merger: ClipsMerge(template: template, stores: stores, scratch: FileManager.default.temporaryDirectory),
            waitLimit: settings.waitLimit)
        let runs = RunsAPI(
            manager: manager, answer: answer, bodies: bodies, presigner: presigner, keepalive: settings.keepalive)

        let router = Router(context: ServerContext.self)
        router.add(middleware: RateLimit(rate: settings.requestsPerSecond, answer: answer, metrics: metrics))
        router.get("/healthz") { _, _ in answer.json(["status": "ok"]) }
        router.get("/") { _, _ in answer.raw(WebPage.html, contentType: "text/html; charset=utf-8") }
        router.get("/openapi.json") { _, _ in answer.raw(OpenAPIDocument.json, contentType: "application/json") }
        let api = router.group().add(
            middleware: Authentication(tokens: tokens, answer: answer, metrics: metrics))
        api.get("/metrics") { _, _ in
            answer.raw(
                metrics.text(active: await manager.activeCount), contentType: "text/plain; version=0.0.4; charset=utf-8"
            )
        }
        api.get(RouterPath(OriginalAPI.path)) { request, context in
            await original.get(request, context: context)
        }
        api.post(RouterPath(OriginalAPI.path)) { request, context in
            await original.post(request, context: context)
        }
        api.post("/v1/runs") { request, context in await runs.create(request, context: context) }
        api.get("/v1/runs") { request, context in await runs.list(request, context: context) }
        api.get("/v1/runs/:id") { request, context in await runs.show(request, context: context) }
        api.get("/v1/runs/:id/events") { request, context in await runs.events(request, context: context) }
        api.post("/v1/runs/:id/cancel") { request, context in await runs.cancel(request, context: context) }

        let application = Application(
            router: router,
            configuration: .init(
                address: .hostname(settings.listen.host, port: settings.listen.port), serverName: "runner"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.listen.port) })
        return RunnerServer(settings: settings, manager: manager, application: application)
    }

    /// Resumes the runs a previous server left unfinished, then serves until cancelled or, with `signals`, until
    /// SIGINT or SIGTERM. On the way out the runs in progress are stopped first (so requests waiting for them are
    /// answered) and left for the next server to resume.
    public func run(stoppingOnSignals signals: Bool = false) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [application, RunsService(manager: manager)],
                gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [], logger: application.logger))
        try await group.run()
    }
}

/// Resumes unfinished runs at start and stops the runs in progress at shutdown. Listed after the application, so a
/// service group shuts it down first (groups shut down in reverse order).
struct RunsService: Service {
    let manager: RunManager

    func run() async throws {
        try await manager.resumeUnfinished()
        try? await gracefulShutdown()
        await manager.stop()
    }
}
