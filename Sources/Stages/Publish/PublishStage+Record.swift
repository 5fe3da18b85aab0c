import Foundation
import Manifest
import Storage

extension PublishStage: FinishingStage {
    /// Signs a fresh link to the published film (every run), and writes and sends the run record when the stage
    /// asks for one.
    public func finish(_ outputs: [Artifact], facts: RunFacts, in context: StageContext) async throws -> StageFinish {
        guard let video = outputs.first else { throw StageError.nothingToPublish(stage: name) }
        guard options.record != nil || options.webhook != nil else {
            return StageFinish(output: video, link: try await link(to: video, stores: context.stores))
        }
        let (record, link) = try await publishRecord(video: video, facts: facts, in: context)
        return StageFinish(output: video, link: link, record: record, recordLocation: options.record?.description)
    }

    /// Writes the run record where the stage says and posts it to the webhook, only when it differs from
    /// the last one (a rerun with nothing changed writes and sends nothing) or was never delivered.
    /// Returns the record and the link it carries (the last record's, while it has more than half its time left).
    func publishRecord(video: Artifact, facts: RunFacts, in context: StageContext) async throws
        -> (record: RunRecord, link: (url: URL, expires: Date)?)
    {
        let stores = context.stores
        // `_runs/` cannot be a stage's folder: stage names begin with a letter or digit.
        let folder = facts.stateFolder.appending("_runs/")
        let (stateStore, stateKey) = try await stores.openForWriting(folder.appending("\(name).record.json"))
        let previous = try await stateStore.readIfPresent(stateKey).flatMap {
            try? StoredDates.recordDecoder.decode(RunRecord.self, from: $0)
        }

        // The last record's link is kept (so an unchanged result is not sent again) only when it points where a fresh
        // link points and expires no later: the state is not trusted, and an edited record must not make the runner
        // hand out a link of its choosing.
        let fresh = try await link(to: video, stores: stores)
        var link = fresh
        if let previous, let fresh, video.digest == .sha256(previous.video.sha256),
            previous.video.location == video.location.description,
            let text = previous.video.link, let url = URL(string: text), Self.sameTarget(url, fresh.url),
            let expires = previous.video.linkExpires, expires <= fresh.expires,
            let presign = options.presign, expires.timeIntervalSinceNow > DurationText.seconds(presign) / 2
        {
            link = (url, expires)
        }
        var record = try await makeRecord(video: video, link: link, facts: facts, stores: stores)
        let changed = previous.map { !$0.describesSameResult(as: record) } ?? true
        if !changed, let previous { record = previous }
        let body = try StoredDates.recordEncoder.encode(record)
        if changed { try await stateStore.write(stateKey, json: body) }
        if let destination = options.record {
            let (store, key) = try await stores.openForWriting(destination)
            let present = (try? await store.head(key)) != nil
            if changed || !present {
                try await store.write(key, json: body)
            }
        }
        if let url = options.webhook.flatMap(URL.init(string:)) {
            let (markerStore, markerKey) = try await stores.openForWriting(folder.appending("\(name).webhook.json"))
            let digest = "sha256:" + (try SHA256Digest.hex(of: body))
            let delivered = try await markerStore.readIfPresent(markerKey).map { String(decoding: $0, as: UTF8.self) }
            if delivered != digest {
                try await Webhook(
                    url: url, secret: options.webhookSecret,
                    trustedHosts: TrustedHosts(environment: context.environment),
                    secrets: SecretValues(environment: context.environment)
                ).deliver(body)
                try await markerStore.write(markerKey, data: Data(digest.utf8), contentType: "text/plain")
            }
        }
        return (record, link)
    }

    private func makeRecord(video: Artifact, link: (url: URL, expires: Date)?, facts: RunFacts, stores: StoreCache)
        async throws
        -> RunRecord
    {
        let sheet = Self.contactSheet(of: video)
        var sheetExists = false
        if let (store, key) = try? await stores.open(sheet) { sheetExists = (try? await store.head(key)) != nil }
        let manifestBytes = FileManager.default.contents(atPath: facts.manifestPath) ?? Data()
        let hex = video.digest.sha256Hex ?? video.digest.description
        return RunRecord(
            pipeline: facts.pipeline, session: facts.session,
            manifest: .init(
                path: facts.manifestPath, sha256: try SHA256Digest.hex(of: manifestBytes),
                gitCommit: GitCommit.of(file: facts.manifestPath)),
            finished: Date(),
            video: .init(
                location: video.location.description, size: video.size, sha256: hex, duration: video.duration,
                link: link?.url.absoluteString, linkExpires: link?.expires,
                contactSheet: sheetExists ? sheet.description : nil),
            clips: facts.clips, skippedFrames: facts.skippedFrames, totals: facts.totals)
    }

    /// Whether two links name the same object: the same scheme, host, port and path (their signatures differ).
    static func sameTarget(_ one: URL, _ other: URL) -> Bool {
        guard let first = URLComponents(url: one, resolvingAgainstBaseURL: false),
            let second = URLComponents(url: other, resolvingAgainstBaseURL: false)
        else { return false }
        return first.scheme == second.scheme && first.host == second.host && first.port == second.port
            && first.percentEncodedPath == second.percentEncodedPath && first.user == nil && first.password == nil
    }

}
