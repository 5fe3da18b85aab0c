import Foundation
import TestSupport
import Testing

/// The run record, the webhook and the contact sheet of the publish stage.
@Suite(.serialized)
struct RecordTests {
    /// A cloud pipeline whose publish stage writes `./out/record.json` and posts to `webhook`.
    static func manifest(bucket: String, webhook: String? = nil) -> String {
        Manifests.runway(bucket: bucket) + """

                record: ./out/record.json
            \(webhook.map { "    webhook: \($0)\n    webhookSecret: ${env:HOOK_SECRET}" } ?? "")
            """
    }

    static func sha256(_ path: String) throws -> String {
        let result = try run(try Scratch.which("sha256sum"), [path])
        return String(result.stdout.prefix(64))
    }

    struct Record: Decodable {
        struct Manifest: Decodable {
            let path: String
            let sha256: String
            let gitCommit: String?
        }
        struct Video: Decodable {
            let location: String
            let size: Int64
            let sha256: String
            let duration: Double?
            let link: String?
            let linkExpires: String?
            let contactSheet: String?
        }
        struct Clip: Decodable {
            let frame: String
            let key: String
            let taskID: String?
            let location: String
            let credits: Double
        }
        struct Totals: Decodable {
            let credits: Double
            let dollars: Double
            let generated: Int
            let filmCredits: Double
        }
        let pipeline: String
        let session: String
        let manifest: Manifest
        let video: Video
        let clips: [Clip]
        let totals: Totals
        let finished: String
    }

    @Test func theRecordDescribesTheRunAndMatchesItsSchema() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Self.manifest(bucket: cloud.bucket))
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

        let recordPath = project.path("out/record.json")
        let record = try JSONDecoder().decode(Record.self, from: try Data(contentsOf: URL(fileURLWithPath: recordPath)))
        #expect(record.pipeline == "cloud-test" && record.session == "cloud-test")
        #expect(record.manifest.sha256 == (try Self.sha256(project.manifest)))
        #expect(record.manifest.gitCommit == nil, "the project is not in a git repository")

        let film = project.folder.appendingPathComponent("film.mp4")
        try await cloud.download("final/film.mp4", to: film)
        #expect(record.video.location == "s3://\(cloud.bucket)/final/film.mp4")
        #expect(record.video.sha256 == (try Self.sha256(film.path)))
        #expect(record.video.size == Int64(try Data(contentsOf: film).count))
        #expect(abs((record.video.duration ?? 0) - (try ProbedVideo.of(film.path)).duration) < 0.1)
        let fetched = project.folder.appendingPathComponent("fetched.mp4")
        #expect(
            try run(try Scratch.which("curl"), ["-sf", "-o", fetched.path, try #require(record.video.link)]).status == 0
        )
        #expect(try Data(contentsOf: fetched) == (try Data(contentsOf: film)))
        #expect(record.video.contactSheet == "s3://\(cloud.bucket)/final/film.contact.png")

        #expect(record.clips.map(\.frame) == ["frame_01.png", "frame_02.png", "frame_03.png"])
        let polled = try #require(try await cloud.tenant.stats()["polls"] as? [String: Any])
        #expect(Set(record.clips.compactMap(\.taskID)) == Set(polled.keys), "the record's tasks are the double's")
        #expect(Set(record.clips.map(\.key)).count == 3 && record.clips.allSatisfy { $0.key.count == 64 })
        let objects = try await cloud.objects()
        #expect(
            record.clips.allSatisfy { objects[String($0.location.dropFirst("s3://\(cloud.bucket)/".count))] != nil })
        #expect(record.clips.allSatisfy { $0.credits == 25 })
        #expect(record.totals.credits == 75 && record.totals.dollars == 0.75 && record.totals.generated == 3)
        #expect(record.totals.filmCredits == 75)

        // `apply --format json` carries the same record in its last event (a rerun keeps it as it was).
        let events = try project.runner("apply", project.manifest, "--format", "json")
        #expect(events.status == 0, "\(events.stderr)")
        let last = try #require(events.stdout.split(separator: "\n").last)
        struct Finished: Decodable {
            let kind: String
            let record: Record?
        }
        let finished = try JSONDecoder().decode(Finished.self, from: Data(last.utf8))
        #expect(finished.kind == "runFinished")
        #expect(finished.record?.video.sha256 == record.video.sha256)
        #expect(finished.record?.video.link == record.video.link)
        #expect(finished.record?.clips.map(\.key) == record.clips.map(\.key))
        // Stored to the millisecond, so the rerun's record says when the first run finished exactly as it did.
        #expect(
            record.finished.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(record.finished)")
        #expect(finished.record?.finished == record.finished)

        let schema = PackagePaths.root.appendingPathComponent("docs/run-record.schema.json").path
        let checker = PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path
        let check = try run(try Scratch.which("python3"), [checker, schema, recordPath])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func theRecordNamesTheManifestsGitCommit() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Self.manifest(bucket: cloud.bucket))
        let git = try Scratch.which("git")
        for arguments in [
            ["init", "-q"], ["add", "pipeline.yaml"],
            ["-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "-m", "pipeline"],
        ] {
            #expect(try run(git, ["-C", project.folder.path] + arguments).status == 0)
        }
        let head = try run(git, ["-C", project.folder.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(try project.runner("apply", project.manifest).status == 0)
        let record = try JSONDecoder().decode(
            Record.self, from: try Data(contentsOf: URL(fileURLWithPath: project.path("out/record.json"))))
        #expect(record.manifest.gitCommit == head)
    }

    @Test func theWebhookIsSignedRetriedAfterA500AndNotSentAgainByARerun() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        let secret = "hook-secret-\(UUID().uuidString)"
        project.environment["HOOK_SECRET"] = secret
        let receiver = try WebhookReceiver(secret: secret, failures: 1)
        try project.write(manifest: Self.manifest(bucket: cloud.bucket, webhook: receiver.url))

        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let requests = try receiver.requests()
        #expect(requests.map(\.status) == [500, 200])
        #expect(requests.allSatisfy { $0.signatureValid })
        let record = try String(contentsOfFile: project.path("out/record.json"), encoding: .utf8)
        #expect(requests.last?.body == record)

        let rerun = try project.runner("apply", project.manifest)
        #expect(rerun.status == 0)
        #expect(try receiver.requests().count == 2, "a rerun with nothing changed sent the webhook again")
        for text in [apply.stdout, apply.stderr, rerun.stdout, rerun.stderr, record] { #expect(!text.contains(secret)) }
    }

    @Test func theContactSheetIsAPNGWithARowPerClip() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())
        #expect(try project.runner("apply", project.manifest).status == 0)
        let sheet = project.path("out/film.contact.png")
        let probe = try run(
            try Scratch.which("ffprobe"),
            [
                "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", sheet,
            ])
        // Two 240-pixel tiles per row (frame, clip) and 8-pixel gaps; 160x90 pictures scale to 240x135.
        #expect(
            probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "png,504,437",
            "\(probe.stdout)\(probe.stderr)")
    }
}
