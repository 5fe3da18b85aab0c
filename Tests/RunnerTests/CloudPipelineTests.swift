import Foundation
import TestSupport
import Testing

/// The original workflow: frames in S3, Runway clips (the double), a film published to S3 with a link.
@Suite(.serialized)
struct CloudPipelineTests {
    enum StateKind: String, CaseIterable, Sendable {
        case local, s3
    }

    static func state(_ kind: StateKind, bucket: String) -> String? {
        kind == .s3 ? "s3://\(bucket)/state/" : nil
    }

    @Test(arguments: StateKind.allCases)
    func applyPublishesTheFilmAndARerunMakesNoPostAndNoUpload(state: StateKind) async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(
            manifest: Manifests.runway(bucket: cloud.bucket, state: Self.state(state, bucket: cloud.bucket)))

        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try await cloud.tasksCreated() == 3)
        let film = project.folder.appendingPathComponent("film.mp4")
        try await cloud.download("final/film.mp4", to: film)
        let probed = try ProbedVideo.of(film.path)
        #expect(abs(probed.duration - 15.0) < 0.2)
        #expect(probed.width == 1280 && probed.height == 720)

        // The link is printed and serves the film.
        let link = try #require(
            first.stdout.split(separator: "\n").first { $0.contains("link ") }?.split(separator: " ").last)
        let fetched = project.folder.appendingPathComponent("fetched.mp4")
        let curl = try run(try Scratch.which("curl"), ["-sf", "-o", fetched.path, String(link)])
        #expect(curl.status == 0)
        #expect(try Data(contentsOf: fetched) == (try Data(contentsOf: film)))

        // S3 keeps modification times to the second: wait past it, so an upload would show.
        let objects = try await cloud.objects()
        let localState = project.files(under: ".runner")
        try await Task.sleep(for: .milliseconds(1100))
        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nothing to do"))
        #expect(try await cloud.tasksCreated() == 3, "a rerun with nothing changed submitted a task")
        let after = try await cloud.objects()
        #expect(
            after.mapValues(\.lastModified) == objects.mapValues(\.lastModified),
            "a rerun with nothing changed uploaded")
        #expect(after.mapValues(\.etag) == objects.mapValues(\.etag))
        #expect(project.files(under: ".runner") == localState)
    }

    @Test func changingOneOverridesPromptMakesExactlyOnePost() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        let override = { (prompt: String) in
            "    overrides:\n      - match: \"frame_02*\"\n        prompt: \(prompt)"
        }
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, overrides: override("Slow push-in")))
        #expect(try project.runner("apply", project.manifest).status == 0)
        #expect(try await cloud.tasksCreated() == 3)

        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, overrides: override("Fast pull-back")))
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            plan.actions(of: "clips") == [
                "frame_01.png": "cached", "frame_02.png": "regenerate", "frame_03.png": "cached",
            ])
        #expect(plan.items(of: "clips")[1].reason == "prompt changed")
        #expect(plan.credits == 25)

        let rerun = try project.runner("apply", project.manifest)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await cloud.tasksCreated() == 4)
        #expect(rerun.stdout.contains("clips generated  1"))
    }

    @Test func aNewFrameMakesOnePostAndADeletedClipObjectIsMadeAgain() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket))
        #expect(try project.runner("apply", project.manifest).status == 0)
        #expect(try await cloud.tasksCreated() == 2)

        try project.makeFrames(1, startingAt: 3)
        try await cloud.store.put(
            "frames/frame_03.png", from: project.folder.appendingPathComponent("frames/frame_03.png"),
            contentType: "image/png")
        let added = try project.runner("apply", project.manifest)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await cloud.tasksCreated() == 3, "\(added.stdout)\(added.stderr)")

        let clip = try #require(try await cloud.objects().keys.first { $0.hasPrefix("clips/frame_01-") })
        try await cloud.store.delete(clip)
        let remade = try project.runner("apply", project.manifest)
        #expect(remade.status == 0, "\(remade.stderr)")
        #expect(try await cloud.tasksCreated() == 4)
        #expect(try await cloud.objects()[clip] != nil)
    }

    @Test func aPlanOverBudgetIsRefusedBeforeAnyPaidCall() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, budget: "budget: { maxCredits: 60 }"))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("75 credits"))
        #expect(plan.stdout.contains("Over budget"))
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("75 credits"), "\(apply.stderr)")
        #expect(apply.stderr.contains("maxCredits is 60"), "\(apply.stderr)")
        #expect(try await cloud.tasksCreated() == 0)
    }

    @Test func aSafetyFailureWithSkipMergesTheRestAndNamesTheFrame() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project, runway: ["failMarkers": ["REFUSE-ME": "SAFETY.INPUT.TEXT"]])
        try project.write(
            manifest: Manifests.runway(
                bucket: cloud.bucket, onFailure: "skip",
                overrides: "    overrides:\n      - match: \"frame_02*\"\n        prompt: REFUSE-ME please"))

        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("frame_02.png"), "\(apply.stdout)")
        #expect(apply.stdout.contains("SAFETY.INPUT.TEXT"), "\(apply.stdout)")
        #expect(try await cloud.tasksCreated() == 3, "a moderation refusal was retried")
        let film = project.folder.appendingPathComponent("film.mp4")
        try await cloud.download("final/film.mp4", to: film)
        #expect(abs(try ProbedVideo.of(film.path).duration - 10.0) < 0.2)

        // Final: the next run does not pay for the refused clip again.
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(plan.actions(of: "clips")["frame_02.png"] == "failed")
        #expect(try project.runner("apply", project.manifest).status == 0)
        #expect(try await cloud.tasksCreated() == 3)
    }

    @Test func theAPIKeyAppearsNowhere() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, state: "s3://\(cloud.bucket)/state/"))
        let key = cloud.tenant.key

        var outputs: [String] = []
        for arguments in [
            ["plan", project.manifest], ["plan", project.manifest, "--format", "json"],
            ["apply", project.manifest, "--format", "json"], ["apply", project.manifest],
            ["status", project.manifest], ["status", project.manifest, "--format", "json"],
        ] {
            let result = try run(PackagePaths.runner, arguments, environment: project.environment, in: project.folder)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        #expect(try await cloud.tasksCreated() == 2, "the runs did their work")
        let state = try await cloud.contents(under: "state/")
        #expect(state.contains("submitted") || state.contains("succeeded"), "the state was read")
        for text in outputs + [state, project.contents(under: ".")] {
            #expect(!text.contains(key), "the API key leaked")
        }
    }
}

/// The budget counts what Runway charges (docs/engine.md): a failed task is refunded, so its retry fits a budget
/// that the estimates alone would have exceeded, and the run's charged credits stay within it.
@Suite struct RunningBudgetTests {
    @Test func aRetryAfterARefundedFailureFitsTheBudgetAndTheChargesStayWithinIt() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(
            for: &project, runway: ["failTasks": ["code": "INTERNAL.BAD_OUTPUT.CODE01", "count": 1]])
        try project.write(
            manifest: Manifests.runway(bucket: cloud.bucket, concurrency: 1, budget: "budget: { maxCredits: 50 }"))

        let apply = try project.runner("apply", project.manifest, "--format", "json")
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try await cloud.tasksCreated() == 3, "the refunded failure's retry was not submitted")
        #expect(try await cloud.objects()["final/film.mp4"] != nil)
        let finished = try #require(apply.stdout.split(separator: "\n").last { $0.contains("\"runFinished\"") })
        let event = try #require(try JSONSerialization.jsonObject(with: Data(finished.utf8)) as? [String: Any])
        // `credits` is what was charged; `estimatedCredits` the maxima of the three submissions (docs/engine.md).
        let charged = try #require((event["credits"] as? NSNumber)?.doubleValue, "no credits in \(finished)")
        #expect(charged == 50, "the run was charged \(charged) credits against a budget of 50")
        #expect((event["estimatedCredits"] as? NSNumber)?.doubleValue == 75)
        #expect((event["refundedCredits"] as? NSNumber)?.doubleValue == 25)
    }
}
