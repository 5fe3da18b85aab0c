import Foundation
import Hummingbird
import Manifest
import Stages

/// The original system's API, drop-in: `/api/process_s3_video_workflow` with `action` = `list_frames`,
/// `generate_videos` or `prepare_merge`, by GET (query string) or POST (JSON body). Answers carry `success`, and
/// either the action's fields or `error`.
struct OriginalAPI: Sendable {
    let template: ServeTemplate
    let manager: RunManager
    let answer: Answer
    let bodies: RequestBodies
    let presigner: Presigner
    let merger: ClipsMerge
    let waitLimit: Duration
    /// `list_frames` of one user asked for while one is under way share it (one S3 listing, one set of links).
    let listings = Coalescing<UserID, FramesAnswer>()

    static let path = "/api/process_s3_video_workflow"

    func get(_ request: Request, context: ServerContext) async -> Response {
        let query = request.uri.queryParameters
        var fields = OriginalRequest()
        fields.action = query.get("action")
        fields.userId = query.get("userId")
        fields.sessionId = query.get("sessionId")
        return await handle(fields, context: context)
    }

    func post(_ request: Request, context: ServerContext) async -> Response {
        do {
            var fields = try await bodies.decode(OriginalRequest.self, from: request)
            if fields.action == nil { fields.action = request.uri.queryParameters.get("action") }
            return await handle(fields, context: context)
        } catch RequestBodies.Failure.tooLarge(let limit) {
            return failure("the request body is larger than \(limit) bytes", status: .contentTooLarge)
        } catch RequestBodies.Failure.invalid(let text) {
            return failure(text, status: .badRequest)
        } catch {
            return failure("\(error)", status: .badRequest)
        }
    }

    private func failure(_ text: String, status: HTTPResponse.Status) -> Response {
        answer.json(WorkflowAnswer(success: false, error: text), status: status)
    }

    private func failure(_ error: ServeError) -> Response {
        failure(error.description, status: .init(code: error.status))
    }

    private func handle(_ fields: OriginalRequest, context: ServerContext) async -> Response {
        do {
            let user = try Self.user(fields.userId, caller: context.caller)
            switch fields.action {
            case "list_frames": return try await listFrames(user)
            case "generate_videos": return try await generate(fields, user: user)
            case "prepare_merge": return try await prepareMerge(fields, user: user)
            case nil: throw ServeError.field("action", "is missing; give list_frames, generate_videos or prepare_merge")
            case let other?:
                throw ServeError.field(
                    "action",
                    "\"\(InertText.escaped(other))\" is not an action; give list_frames, generate_videos or prepare_merge"
                )
            }
        } catch let error as ServeError {
            return failure(error)
        } catch {
            return failure(.upstream("\(error)"))
        }
    }

    /// The user id, checked as a plain name, and that the caller may act for them.
    static func user(_ text: String?, caller: Caller?) throws(ServeError) -> UserID {
        guard let text else { throw .field("userId", "is missing; give the user's id, such as alice") }
        let user: UserID
        do { user = try UserID(text) } catch { throw .field("userId", "is not usable: \(error)") }
        guard let caller, caller.may(actFor: user) else {
            throw .forbidden("this token may not act for user \(user)")
        }
        return user
    }

    private func listFrames(_ user: UserID) async throws -> Response {
        let (template, presigner) = (template, presigner)
        let listed = try await listings.value(for: user) {
            let (pipeline, options) = try template.frames(for: user)
            let location = options.from.resolved(against: pipeline.directory)
            let (store, prefix) = try await presigner.stores.open(location)
            let listing = try await FrameListing.listing(
                in: store, prefix: prefix, include: options.include, order: options.order
            ).refusingUnusableNames.frames
            var frames: [FramesAnswer.Frame] = []
            for frame in listing {
                let url = try? await store.presignGet(frame.key, expiry: presigner.expiry).absoluteString
                frames.append(
                    .init(key: frame.key, name: frame.name, size: frame.size, lastModified: frame.modified, url: url))
            }
            return FramesAnswer(totalFrames: frames.count, frames: frames)
        }
        return answer.json(listed)
    }

    private func generate(_ fields: OriginalRequest, user: UserID) async throws -> Response {
        let session = fields.sessionId ?? Self.newSession()
        try RunVariables.checkSession(session, field: "sessionId")
        let variables = RunVariables(
            user: user, session: session, prompt: fields.prompt.flatMap { $0.isEmpty ? nil : $0 },
            ratio: fields.frameAspectRatio.flatMap { $0.isEmpty ? nil : $0 }, concurrency: fields.batchSize)
        let created = try await manager.create(variables)
        let run = fields.wait == false ? created : (await manager.wait(for: created.id, upTo: waitLimit) ?? created)
        return answer.json(await workflowAnswer(run), status: Self.status(of: run))
    }

    static func status(of run: StoredRun) -> HTTPResponse.Status {
        switch run.status {
        case .succeeded: return .ok
        case .queued, .running: return .accepted
        case .failed, .cancelled: return .internalServerError
        }
    }

    func workflowAnswer(_ run: StoredRun) async -> WorkflowAnswer {
        var links: [String] = []
        for clip in run.progress.madeClips {
            if let link = await presigner.link(clip.location) { links.append(link) }
        }
        var merged: String?
        if let film = run.progress.film {
            merged = film.link
            if merged == nil { merged = await presigner.link(film.location) }
        }
        let data = WorkflowAnswer.Data(
            sessionId: run.variables.session, runId: run.id, status: run.status,
            totalFrames: run.progress.totalFrames, completedCount: run.progress.completedCount,
            failedCount: run.progress.failedCount, generatedVideoUrls: links, mergedVideoUrl: merged,
            run: "/v1/runs/\(run.id)", events: "/v1/runs/\(run.id)/events")
        let failed = run.status == .failed || run.status == .cancelled
        return WorkflowAnswer(
            success: !failed, data: data, error: failed ? (run.error ?? "the run \(run.status.rawValue)") : nil)
    }

    private func prepareMerge(_ fields: OriginalRequest, user: UserID) async throws -> Response {
        if let urls = fields.videoClipUrls, !urls.isEmpty {
            let session = fields.sessionId ?? Self.newSession()
            try RunVariables.checkSession(session, field: "sessionId")
            let film = try await merger.merge(urls, user: user, session: session)
            let link = await presigner.link(film)
            return answer.json(
                WorkflowAnswer(success: true, data: .init(sessionId: session, mergedVideoUrl: link ?? film)))
        }
        guard let session = fields.sessionId else {
            throw ServeError.field("videoClipUrls", "is missing; give the clips' URLs in order, or a sessionId")
        }
        try RunVariables.checkSession(session, field: "sessionId")
        guard let latest = try await manager.runs(users: [user]).first(where: { $0.variables.session == session })
        else {
            throw ServeError.notFound("user \(user) has no run of session \(session); call generate_videos first")
        }
        let run = latest.status.isFinal ? latest : (await manager.wait(for: latest.id, upTo: waitLimit) ?? latest)
        return answer.json(await workflowAnswer(run), status: Self.status(of: run))
    }

    /// A new session name: the time and a little randomness (`s20261130-141500-3fa2`).
    static func newSession() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let random = String(UInt16.random(in: .min ... .max), radix: 16)
        return "s\(formatter.string(from: Date()))-\(random)"
    }
}
