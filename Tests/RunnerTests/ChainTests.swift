import Foundation
import TestSupport
import Testing

/// Keyframe chains end to end (issue #18), through the runner binary: the pairs a plan shows, the joins of the clips
/// (ffmpeg's psnr filter the oracle), the clips a changed frame makes again, loops, one frame, a frame the intake
/// refuses, and the two keyframes the Runway double received.
@Suite(.serialized)
struct ChainTests {
    /// A Ken Burns pipeline whose clips stage is chained by `chain`, with `extra` options on that stage.
    static func kenBurns(chain: String, extra: String = "") -> String {
        """
        version: 1
        name: chained
        providers:
          draft: { type: kenburns, concurrency: 2 }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips: { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, chain: \(chain), \(extra)to: ./out/clips/ }
          film: { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4, record: ./out/record.json }
        """
    }

    /// The items of stage `stage` that an `apply --format json` run made, in the order they finished.
    static func made(_ output: ProcessOutput, stage: String = "clips") -> [String] {
        output.stdout.split(separator: "\n").compactMap { line in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                event["kind"] as? String == "itemSucceeded", event["stage"] as? String == stage
            else { return nil }
            return event["item"] as? String
        }
    }

    /// The clips under `out/clips/`, by the first frame's stem (`frame_01`), newest file for each.
    static func clips(in project: PipelineProject) throws -> [String: String] {
        let folder = project.path("out/clips")
        var found: [String: (path: String, date: Date)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".mp4") {
            let path = folder + "/" + name
            let date =
                try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date ?? .distantPast
            let stem = String(name.prefix { $0 != "-" })
            if found[stem].map({ $0.date < date }) ?? true { found[stem] = (path, date) }
        }
        return found.mapValues(\.path)
    }

    /// The PSNR at the join of the clip that starts on frame `from` and the one that starts on frame `to`.
    static func join(_ clips: [String: String], _ from: Int, _ to: Int) throws -> Double {
        try JoinOracle.psnr(
            lastOf: try #require(clips[String(format: "frame_%02d", from)]),
            firstOf: try #require(clips[String(format: "frame_%02d", to)]))
    }

    @Test func fiveFramesMakeFourClipsWhoseJoinsMatchAndPlanShowsThePairs() throws {
        let project = try PipelineProject.make(frames: 5)
        defer { project.remove() }
        try project.write(manifest: Self.kenBurns(chain: "true"))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("chained frame to frame"), "\(plan.stdout)")
        for index in 1...4 {
            let pair = String(format: "frame_%02d.png -> frame_%02d.png", index, index + 1)
            #expect(plan.stdout.contains("+ \(pair)"), "no line for \(pair):\n\(plan.stdout)")
        }
        #expect(!plan.stdout.contains("frame_05.png -> "), "\(plan.stdout)")
        let document = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            document.items(of: "clips").map(\.item) == [
                "frame_01.png -> frame_02.png", "frame_02.png -> frame_03.png", "frame_03.png -> frame_04.png",
                "frame_04.png -> frame_05.png",
            ])

        let applied = try project.runner("apply", project.manifest, "--format", "json")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(Self.made(applied).count == 4)
        let clips = try Self.clips(in: project)
        #expect(clips.keys.sorted() == ["frame_01", "frame_02", "frame_03", "frame_04"])
        for index in 1...3 {
            let psnr = try Self.join(clips, index, index + 1)
            #expect(psnr > 35, "the join after clip \(index) is \(psnr) dB")
        }
        // Four one-second clips, merged without loss.
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 4) < 0.1)

        // The run record names each clip by the frame it starts from, as an unchained one's.
        let record = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: project.path("out/record.json"))))
                as? [String: Any])
        let listed = try #require(record["clips"] as? [[String: Any]])
        #expect(
            listed.compactMap { $0["frame"] as? String } == [
                "frame_01.png", "frame_02.png", "frame_03.png", "frame_04.png",
            ])
        #expect(
            listed.compactMap { ($0["frameLocation"] as? String)?.split(separator: "/").last.map(String.init) } == [
                "frame_01.png", "frame_02.png", "frame_03.png", "frame_04.png",
            ])
    }

    /// Frames as phones and cameras make them: a JPEG stored sideways with an EXIF orientation, and a HEIC. Each is
    /// the last keyframe of one clip and the first of the next: prepared the same way for both, the joins match.
    @Test func aSidewaysPhotoAndAHEICJoinAsWellAsPNGs() throws {
        let project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        try project.makeFrames(2, startingAt: 1)
        try FileManager.default.moveItem(
            atPath: project.path("frames/frame_02.png"), toPath: project.path("frame_02.png"))
        try TestStills.banded(
            project.path("frames/frame_02.jpg"), width: 320, height: 180, band: 40, exifOrientation: 6)
        try TestStills.heif(from: project.path("frame_02.png"), to: project.path("frames/frame_03.heic"))
        try project.makeFrames(1, startingAt: 4)
        try project.write(manifest: Self.kenBurns(chain: "true"))

        let applied = try project.runner("apply", project.manifest, "--format", "json")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(
            Self.made(applied).sorted() == [
                "frame_01.png -> frame_02.jpg", "frame_02.jpg -> frame_03.heic", "frame_03.heic -> frame_04.png",
            ])
        let clips = try Self.clips(in: project)
        for index in 1...2 {
            let psnr = try Self.join(clips, index, index + 1)
            #expect(psnr > 35, "the join after clip \(index) is \(psnr) dB")
        }
    }

    @Test func changingFrameThreeOfFiveMakesAgainTheTwoClipsThatTouchItAndNothingElse() throws {
        let project = try PipelineProject.make(frames: 5)
        defer { project.remove() }
        try project.write(manifest: Self.kenBurns(chain: "true"))
        let first = try project.runner("apply", project.manifest, "--format", "json")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(Self.made(first).count == 4)

        // Frame 3 becomes another picture: the pattern at 9 s, as frame_09 would be.
        let scratch = try PipelineProject.make(frames: 0)
        defer { scratch.remove() }
        try scratch.makeFrames(1, startingAt: 9)
        try FileManager.default.removeItem(atPath: project.path("frames/frame_03.png"))
        try FileManager.default.copyItem(
            atPath: scratch.path("frames/frame_09.png"), toPath: project.path("frames/frame_03.png"))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("~ frame_02.png -> frame_03.png  again: lastFrame changed"), "\(plan.stdout)")
        #expect(plan.stdout.contains("~ frame_03.png -> frame_04.png  again: frame changed"), "\(plan.stdout)")
        #expect(plan.stdout.contains("= frame_01.png -> frame_02.png"), "\(plan.stdout)")
        #expect(plan.stdout.contains("= frame_04.png -> frame_05.png"), "\(plan.stdout)")

        let again = try project.runner("apply", project.manifest, "--format", "json")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(
            Self.made(again).sorted() == ["frame_02.png -> frame_03.png", "frame_03.png -> frame_04.png"],
            "\(Self.made(again))")
        let clips = try Self.clips(in: project)
        for index in 1...3 {
            let psnr = try Self.join(clips, index, index + 1)
            #expect(psnr > 35, "after the change, the join after clip \(index) is \(psnr) dB")
        }
    }

    @Test func aLoopEndsTheLastClipOnTheFirstFrame() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(manifest: Self.kenBurns(chain: "loop"))
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            plan.items(of: "clips").map(\.item) == [
                "frame_01.png -> frame_02.png", "frame_02.png -> frame_03.png", "frame_03.png -> frame_01.png",
            ])
        let applied = try project.runner("apply", project.manifest, "--format", "json")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(Self.made(applied).count == 3)
        let clips = try Self.clips(in: project)
        for (from, to) in [(1, 2), (2, 3), (3, 1)] {
            let psnr = try Self.join(clips, from, to)
            #expect(psnr > 35, "the join from clip \(from) to clip \(to) is \(psnr) dB")
        }
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 3) < 0.1)
    }

    @Test func oneFrameChainedIsRefusedWithTheFixAndAOneFrameLoopMakesOneClipBackToItself() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        try project.write(manifest: Self.kenBurns(chain: "true"))
        let message =
            "stage `clips` chains its clips frame to frame (`chain: true`), but it has one frame (frame_01.png): a "
            + "chain needs at least two frames; add frames, use `chain: loop` for one clip from the frame back to "
            + "itself, or remove `chain`"
        // A manifest asking for what no run can give: the plan stops with the error (exit 1, as for other plan-time
        // errors, with or without --detailed-exitcode), never shows the stage as one that failed before.
        for flags: [String] in [[], ["--detailed-exitcode"]] {
            let plan = try run(
                PackagePaths.runner, ["plan", project.manifest] + flags, environment: project.environment,
                in: project.folder)
            let shown = plan.stdout + plan.stderr
            #expect(plan.status == 1, "\(flags): \(shown)")
            #expect(plan.stderr.contains(message), "\(shown)")
            #expect(!shown.contains("failed before") && !shown.contains("--retry-failed"), "\(shown)")
        }
        let applied = try project.runner("apply", project.manifest)
        let output = applied.stdout + applied.stderr
        #expect(applied.status == 1, "\(output)")
        #expect(output.contains(message), "\(output)")
        #expect(!output.contains("stage `clips`: stage `clips`"), "\(output)")
        #expect(!output.contains("did not finish ("), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: project.path("out/film.mp4")))

        try project.write(manifest: Self.kenBurns(chain: "loop"))
        let looped = try project.runner("apply", project.manifest, "--format", "json")
        #expect(looped.status == 0, "\(looped.stdout)\(looped.stderr)")
        #expect(Self.made(looped) == ["frame_01.png -> frame_01.png"])
        let clip = try #require(try Self.clips(in: project)["frame_01"])
        let psnr = try JoinOracle.psnr(lastOf: clip, firstOf: clip)
        #expect(psnr > 35, "the clip's end and its own start are \(psnr) dB apart")
    }

    /// A frame the intake refuses (truncated): under `skip` it is left out and the chain closes over it, so the two
    /// clips that would touch it become one, from the frame before it to the frame after; under `fail` nothing is made.
    @Test func aFrameRefusedByTheIntakeIsBridgedUnderSkipAndStopsTheRunUnderFail() throws {
        let project = try PipelineProject.make(frames: 4)
        defer { project.remove() }
        let png = try Data(contentsOf: URL(fileURLWithPath: project.path("frames/frame_02.png")))
        try png.prefix(png.count - 20).write(to: URL(fileURLWithPath: project.path("frames/frame_02.png")))

        try project.write(manifest: Self.kenBurns(chain: "true"))
        let refused = try project.runner("apply", project.manifest, "--format", "json")
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(
            (refused.stdout + refused.stderr).contains("1 frame of stage `clips` cannot be used"),
            "\(refused.stdout)\(refused.stderr)")
        #expect(Self.made(refused).isEmpty)

        try project.write(manifest: Self.kenBurns(chain: "true", extra: "onFailure: skip, "))
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            plan.items(of: "clips").map(\.item) == ["frame_01.png -> frame_03.png", "frame_03.png -> frame_04.png"])
        #expect(
            plan.items(of: "frames").contains { $0.item == "frame_02.png" && $0.reason?.contains("truncated") == true })
        let applied = try project.runner("apply", project.manifest, "--format", "json")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(Self.made(applied).sorted() == ["frame_01.png -> frame_03.png", "frame_03.png -> frame_04.png"])
        let clips = try Self.clips(in: project)
        let psnr = try Self.join(clips, 1, 3)
        #expect(psnr > 35, "the join over the refused frame is \(psnr) dB")
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 2) < 0.1)
    }

    @Test func validateRefusesAChainOnGen4TurboAndNamesTheModelsThatTakeIt() throws {
        let project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        try project.write(manifest: Self.runway(model: "gen4_turbo", duration: 5))
        let validated = try project.runner("validate", project.manifest)
        #expect(validated.status == 2, "\(validated.stdout)\(validated.stderr)")
        let output = validated.stdout + validated.stderr
        #expect(
            output.contains(
                "pipeline.yaml:7:\(Self.runwayChainColumn): error: `stages.clips.chain`: gen4_turbo cannot end a clip "
                    + "on a given frame (a `last` keyframe), so its clips cannot be chained; the models that can are "
                    + "veo3.1, veo3.1_fast, kenburns"), "\(output)")
        try project.write(manifest: Self.runway(model: "veo3.1", duration: 4))
        let accepted = try project.runner("validate", project.manifest)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
    }

    /// S3 frames, S3 clips, a loop on veo3.1_fast: four clips whose keyframes close a cycle; a rerun pays for nothing,
    /// and a changed frame on S3 pays for the two clips that touch it.
    @Test func aLoopOfS3FramesPaysOnceAndAgainOnlyForTheTwoClipsOfAChangedFrame() async throws {
        var project = try PipelineProject.make(frames: 4)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(
            manifest: """
                version: 1
                name: chained-s3
                providers:
                  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 50ms }
                stages:
                  frames: { type: frames, from: "s3://\(cloud.bucket)/frames/" }
                  clips: { type: generate, needs: [frames], provider: runway, model: veo3.1_fast, duration: 4, chain: loop, to: "s3://\(cloud.bucket)/clips/" }
                  film: { type: merge, needs: [clips] }
                  publish: { type: publish, needs: [film], to: "s3://\(cloud.bucket)/final/film.mp4" }
                """)
        let first = try project.runner("apply", project.manifest, "--format", "json")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(Self.made(first).count == 4)

        /// Each task's (first, last) keyframe digests.
        func keyframes() async throws -> [String: (first: String, last: String)] {
            let tasks = try #require(try await cloud.tenant.stats()["tasks"] as? [String: [String: Any]])
            return try tasks.mapValues { task in
                let frames = try #require(task["keyframes"] as? [[String: String]])
                try #require(frames.map { $0["position"] } == ["first", "last"])
                return (try #require(frames[0]["sha256"]), try #require(frames[1]["sha256"]))
            }
        }
        let before = try await keyframes()
        // A loop: following each clip's last frame to the clip that starts on it visits all four clips once.
        let next = Dictionary(uniqueKeysWithValues: before.values.map { ($0.first, $0.last) })
        #expect(next.count == 4)
        var visited: Set<String> = []
        var frame = try #require(next.keys.first)
        while visited.insert(frame).inserted { frame = try #require(next[frame]) }
        #expect(visited.count == 4, "the keyframes do not close one loop: \(before)")

        let again = try project.runner("apply", project.manifest, "--format", "json")
        #expect(again.status == 0 && Self.made(again).isEmpty, "\(again.stdout)\(again.stderr)")
        #expect(try await cloud.tasksCreated() == 4)

        // Frame 2 becomes another picture on S3: exactly the clips into and out of it are paid for again.
        try project.makeFrames(1, startingAt: 9)
        try await cloud.store.put(
            "frames/frame_02.png", from: project.folder.appendingPathComponent("frames/frame_09.png"),
            contentType: "image/png")
        let changed = try project.runner("apply", project.manifest, "--format", "json")
        #expect(changed.status == 0, "\(changed.stdout)\(changed.stderr)")
        #expect(
            Self.made(changed).sorted() == ["frame_01.png -> frame_02.png", "frame_02.png -> frame_03.png"],
            "\(Self.made(changed))")
        #expect(try await cloud.tasksCreated() == 6)
        let after = try await keyframes()
        let new = after.filter { before[$0.key] == nil }.values
        let oldDigests = Set(before.values.map(\.first))
        // One new clip ends on the new frame and the other starts on it; neither digest was sent before.
        #expect(new.count == 2)
        #expect(Set(new.map(\.last)).subtracting(oldDigests).count == 1)
        #expect(Set(new.map(\.first)).subtracting(oldDigests).count == 1)
    }

    static func runway(model: String, duration: Int) -> String {
        """
        version: 1
        name: chained
        providers:
          runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 50ms }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips: { type: generate, needs: [frames], provider: runway, model: \(model), chain: true, duration: \(duration), prompt: "A slow dolly", to: ./out/clips/ }
          film: { type: merge, needs: [clips] }
        """
    }

    /// The column of `true` in the clips line of `runway(model: "gen4_turbo", ...)`.
    static let runwayChainColumn =
        "  clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, chain: ".count + 1

    @Test func runwayReceivesEachClipsTwoFramesAsFirstAndLastKeyframes() async throws {
        // Three pictures far apart (the example frames), so that a join that jumps cannot pass for one that does not.
        var project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        for (index, name) in ["frame_01_dawn.jpg", "frame_02_fractal.jpg", "frame_03_ripples.jpg"].enumerated() {
            try FileManager.default.copyItem(
                atPath: PackagePaths.root.appendingPathComponent("examples/frames/\(name)").path,
                toPath: project.path(String(format: "frames/frame_%02d.jpg", index + 1)))
        }
        // Clips rendered from the images the double received, so the film shows what was sent.
        let tenant = try await DoubleTenant.make(["precomputedClips": false])
        project.environment["RUNWAYML_API_SECRET"] = tenant.key
        project.environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        try project.write(manifest: Self.runway(model: "veo3.1", duration: 4))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("+ frame_01.jpg -> frame_02.jpg"), "\(plan.stdout)")
        #expect(plan.stdout.contains("160 credits"), "two 4 s veo3.1 clips at 20 a second:\n\(plan.stdout)")
        let applied = try project.runner("apply", project.manifest, "--format", "json")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(Self.made(applied).sorted() == ["frame_01.jpg -> frame_02.jpg", "frame_02.jpg -> frame_03.jpg"])

        // Which frame each keyframe the double received shows: the prepared image with those bytes, matched to the
        // frame it is closest to (ffmpeg's psnr).
        let stats = try await tenant.stats()
        let tasks = try #require(stats["tasks"] as? [String: [String: Any]])
        #expect(tasks.count == 2)
        let prepared = project.path("out/clips.prepared")
        var byDigest: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: prepared) {
            let path = prepared + "/" + name
            let digest = try run("/usr/bin/env", ["sha256sum", path]).stdout.prefix(64)
            byDigest[String(digest)] = path
        }
        func frameNumber(of digest: String) throws -> Int {
            let image = try #require(byDigest[digest], "the double received an image that is no prepared frame")
            let scores = try (1...3).map {
                try JoinOracle.psnr(image, project.path(String(format: "frames/frame_%02d.jpg", $0)))
            }
            let best = try #require(scores.indices.max { scores[$0] < scores[$1] })
            #expect(scores[best] > 30, "\(scores)")
            return best + 1
        }
        var pairs: [[Int]] = []
        for task in tasks.values {
            let keyframes = try #require(task["keyframes"] as? [[String: String]])
            #expect(keyframes.map { $0["position"] } == ["first", "last"])
            pairs.append(try keyframes.map { try frameNumber(of: try #require($0["sha256"])) })
            #expect(task["model"] as? String == "veo3.1")
        }
        #expect(pairs.sorted { $0[0] < $1[0] } == [[1, 2], [2, 3]])

        // The double's clip ends on its last keyframe, as the model's does: the first clip's last picture is the
        // second clip's first (within the double's own coarse encoding), not the jump of an unchained film.
        let clips = try Self.clips(in: project)
        let psnr = try Self.join(clips, 1, 2)
        #expect(psnr > 30, "the join of the double's chained clips is \(psnr) dB")
        let within = try JoinOracle.psnr(
            lastOf: try #require(clips["frame_01"]), firstOf: try #require(clips["frame_01"]))
        #expect(within < 20, "the first clip ends where it starts: \(within) dB")
    }
}
