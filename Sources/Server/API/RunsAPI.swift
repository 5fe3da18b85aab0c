import Foundation
import Hummingbird

/// The runs API: `POST /v1/runs`, `GET /v1/runs?user=`, `GET /v1/runs/{id}`, `GET /v1/runs/{id}/events` (Server-Sent
/// Events) and `POST /v1/runs/{id}/cancel`. A run of a user the caller may not act for answers 404, as a missing one.
struct RunsAPI: Sendable {
    let manager: RunManager
    let answer: Answer
    let bodies: RequestBodies
    /// Signs the clips' links in a run's detailed view.
    let presigner: Presigner
    /// How often an idle event stream sends a comment line.
    let keepalive: Duration

    /// `POST /v1/runs`' body: the template's variables.
    struct CreateRequest: Decodable {
        var user: String?
        var session: String?
        var prompt: String?
        var ratio: String?
        var concurrency: Int?
    }

    func create(_ request: Request, context: ServerContext) async -> Response {
        do {
            let body = try await bodies.decode(CreateRequest.self, from: request)
            let user = try OriginalAPI.user(body.user, caller: context.caller)
            let session = body.session ?? OriginalAPI.newSession()
            try RunVariables.checkSession(session, field: "session")
            let run = try await manager.create(
                RunVariables(
                    user: user, session: session, prompt: body.prompt, ratio: body.ratio, concurrency: body.concurrency)
            )
            var response = answer.json(await RunView.signed(run, presigner: presigner), status: .created)
            response.headers[.location] = "/v1/runs/\(run.id)"
            return response
        } catch let error as ServeError {
            return answer.problem(error)
        } catch RequestBodies.Failure.tooLarge(let limit) {
            return answer.json(["error": "the request body is larger than \(limit) bytes"], status: .contentTooLarge)
        } catch RequestBodies.Failure.invalid(let text) {
            return answer.json(["error": text], status: .badRequest)
        } catch {
            return answer.problem(.upstream("\(error)"))
        }
    }

    func list(_ request: Request, context: ServerContext) async -> Response {
        do {
            var users = context.caller?.visibleUsers
            if let name = request.uri.queryParameters.get("user") {
                users = [try OriginalAPI.user(name, caller: context.caller)]
            }
            let runs = try await manager.runs(users: users)
            return answer.json(["runs": runs.map { RunView($0, detailed: false) }])
        } catch let error as ServeError {
            return answer.problem(error)
        } catch {
            return answer.problem(.upstream("\(error)"))
        }
    }

    /// The run, when the caller may see it.
    private func visibleRun(_ context: ServerContext) async -> StoredRun? {
        guard let id = context.parameters.get("id"), let run = await manager.run(id),
            context.caller?.may(actFor: run.variables.user) == true
        else { return nil }
        return run
    }

    private var notFound: Response { answer.problem(.notFound("no such run")) }

    func show(_ request: Request, context: ServerContext) async -> Response {
        guard let run = await visibleRun(context) else { return notFound }
        return answer.json(await RunView.signed(run, presigner: presigner))
    }

    func cancel(_ request: Request, context: ServerContext) async -> Response {
        guard let run = await visibleRun(context), let cancelled = await manager.cancel(run.id) else { return notFound }
        return answer.json(RunView(cancelled, detailed: false), status: cancelled.status.isFinal ? .ok : .accepted)
    }

    /// Server-Sent Events: each event is `id: N`, `event: KIND` and `data: JSON` (one `apply --format json` line);
    /// the stream ends when the run does. `Last-Event-ID` (or `?after=N`) resumes after event N.
    func events(_ request: Request, context: ServerContext) async -> Response {
        guard let run = await visibleRun(context) else { return notFound }
        // Browsers send Last-Event-ID when they reconnect; ?after=N does the same by hand.
        let lastEventID = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        let after = (lastEventID ?? request.uri.queryParameters.get("after")).flatMap { Int($0) } ?? 0
        guard let stream = await manager.events(of: run.id, after: after, keepalive: keepalive) else { return notFound }
        let secrets = answer.secrets
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                for await event in stream {
                    guard event.sequence > 0 else {
                        // A comment line: nothing happened, and the connection is alive.
                        try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                        continue
                    }
                    let frame = "id: \(event.sequence)\nevent: \(event.kind)\ndata: \(secrets.scrub(event.json))\n\n"
                    try await writer.write(ByteBuffer(string: frame))
                }
                try await writer.finish(nil)
            })
    }
}
