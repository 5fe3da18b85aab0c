import Foundation
import Manifest
import Stages
import Storage

extension Executor {
    /// Keeps a paying stage's items (clips), in order, for the run record.
    func recordClips(of stage: String, outcomes: [ItemOutcome?]) {
        let clips = outcomes.compactMap { outcome -> RunRecord.Clip? in
            guard case let .made(artifact, record)? = outcome else { return nil }
            return RunRecord.Clip(stage: stage, frame: artifact.name, frameLocation: artifact.source?.description, key: record.key,
                                  taskID: record.taskID, location: artifact.location.description, duration: artifact.duration,
                                  credits: record.credits ?? 0, estimatedCredits: record.estimatedCredits,
                                  chargedCredits: record.chargedCredits)
        }
        clipsByStage.update { $0[stage] = clips }
    }

    /// The paying stages (generations) whose items reach `stage`, following `needs` through the others, in order.
    func payingStages(feeding stage: String) -> [String] {
        guard let node = pipeline.stage(named: stage) else { return [] }
        if plan.stage(named: stage)?.work?.schedule.provider != nil { return [stage] }
        var found: [String] = []
        for need in node.needs {
            for name in payingStages(feeding: need) where !found.contains(name) { found.append(name) }
        }
        return found
    }

    /// Writes the run record where the stage says and posts it to the webhook, only when it differs from
    /// the last one (a rerun with nothing changed writes and sends nothing) or was never delivered.
    /// Returns the record and the link it carries (the last record's, while it has more than half its time left).
    func publishRecord(_ stage: PublishStage, video: Artifact, freshLink: () async throws -> (url: URL, expires: Date)?) async throws
        -> (record: RunRecord, link: (url: URL, expires: Date)?)
    {
        // `_runs/` cannot be a stage's folder: stage names begin with a letter or digit.
        let folder = checkpoints.folder.appending("_runs/")
        let (stateStore, stateKey) = try await engine.stores.openForWriting(folder.appending("\(stage.name).record.json"))
        let previous = try await stateStore.readIfPresent(stateKey).flatMap { try? Self.recordDecoder.decode(RunRecord.self, from: $0) }

        // The last record's link is kept (so an unchanged result is not sent again) only when it points where a fresh
        // link points and expires no later: the state is not trusted, and an edited record must not make the runner
        // hand out a link of its choosing.
        let fresh = try await freshLink()
        var link = fresh
        if let previous, let fresh, video.digest == .sha256(previous.video.sha256), previous.video.location == video.location.description,
           let text = previous.video.link, let url = URL(string: text), Self.sameTarget(url, fresh.url),
           let expires = previous.video.linkExpires, expires <= fresh.expires,
           let presign = stage.options.presign, expires.timeIntervalSinceNow > DurationText.seconds(presign) / 2 {
            link = (url, expires)
        }
        var record = try await makeRecord(stage, video: video, link: link)
        let changed = previous.map { !$0.describesSameResult(as: record) } ?? true
        if !changed, let previous { record = previous }
        let body = try Self.recordEncoder.encode(record)
        if changed { try await stateStore.write(stateKey, json: body) }
        if let destination = stage.options.record {
            let (store, key) = try await engine.stores.openForWriting(destination)
            let present = (try? await store.head(key)) != nil
            if changed || !present {
                try await store.write(key, json: body)
            }
        }
        if let url = stage.options.webhook.flatMap(URL.init(string:)) {
            let (markerStore, markerKey) = try await engine.stores.openForWriting(folder.appending("\(stage.name).webhook.json"))
            let digest = "sha256:" + (try SHA256Digest.hex(of: body))
            let delivered = try await markerStore.readIfPresent(markerKey).map { String(decoding: $0, as: UTF8.self) }
            if delivered != digest {
                try await Webhook(url: url, secret: stage.options.webhookSecret,
                                  trustedHosts: TrustedHosts(environment: engine.options.environment),
                                  secrets: SecretValues(environment: engine.options.environment)).deliver(body)
                try await markerStore.write(markerKey, data: Data(digest.utf8), contentType: "text/plain")
            }
        }
        return (record, link)
    }

    private func makeRecord(_ stage: PublishStage, video: Artifact, link: (url: URL, expires: Date)?) async throws -> RunRecord {
        let clips = clipsByStage.update { byStage in payingStages(feeding: stage.name).flatMap { byStage[$0] ?? [] } }
        let sheet = PublishStage.contactSheet(of: video)
        let sheetExists = await engine.object(at: sheet) != nil
        let summary = tally.value
        let manifestBytes = FileManager.default.contents(atPath: pipeline.manifestPath) ?? Data()
        let hex = video.digest.sha256Hex ?? video.digest.description
        let credits = ledger.spent
        return RunRecord(
            pipeline: pipeline.name, session: pipeline.session,
            manifest: .init(path: pipeline.manifestPath, sha256: try SHA256Digest.hex(of: manifestBytes),
                            gitCommit: GitCommit.of(file: pipeline.manifestPath)),
            finished: Date(),
            video: .init(location: video.location.description, size: video.size, sha256: hex, duration: video.duration,
                         link: link?.url.absoluteString, linkExpires: link?.expires, contactSheet: sheetExists ? sheet.description : nil),
            clips: clips,
            skippedFrames: summary.failures.filter(\.skipped),
            totals: .init(credits: credits, dollars: credits * ModelCatalog.dollarsPerCredit,
                          estimatedCredits: summary.estimatedCredits, refundedCredits: summary.refundedCredits,
                          wallSeconds: DurationText.seconds(ContinuousClock.now - started),
                          generated: summary.generated, skipped: summary.skipped, resumed: summary.resumed,
                          failed: summary.failures.count, retries: summary.retries, ambiguousPosts: summary.ambiguousPosts,
                          filmCredits: clips.reduce(0) { $0 + $1.credits }))
    }

    /// Whether two links name the same object: the same scheme, host, port and path (their signatures differ).
    static func sameTarget(_ one: URL, _ other: URL) -> Bool {
        guard let first = URLComponents(url: one, resolvingAgainstBaseURL: false),
              let second = URLComponents(url: other, resolvingAgainstBaseURL: false) else { return false }
        return first.scheme == second.scheme && first.host == second.host && first.port == second.port
            && first.percentEncodedPath == second.percentEncodedPath && first.user == nil && first.password == nil
    }

    static var recordEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var recordDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
