import Foundation
import TestSupport
import Testing

/// The quickstart's shape, all local and offline: Ken Burns clips, a copy merge, a local film.
@Suite(.serialized)
struct LocalPipelineTests {
    @Test func applyMakesTheFilmAndARerunDoesNothing() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())

        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stderr)")
        let film = try ProbedVideo.of(project.path("out/film.mp4"))
        #expect(abs(film.duration - 3.0) < 0.1)
        #expect(film.width == 160 && film.height == 90)
        #expect(try ProbedVideo.decodesCleanly(project.path("out/film.mp4")))
        #expect(project.files(under: "out/clips").count == 3)
        #expect(first.stdout.contains("clips generated  3"))

        let before = project.files(under: "out").merging(project.files(under: ".runner")) { $1 }
        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nothing to do"))
        #expect(second.stdout.contains("clips generated  0"))
        #expect(second.stdout.contains("clips skipped    3"))
        let after = project.files(under: "out").merging(project.files(under: ".runner")) { $1 }
        #expect(after == before, "a rerun with nothing changed wrote files")
    }

    @Test func planListsEachClipAndTheDetailedExitCodeSaysWhetherWorkIsPending() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())

        let before = try project.runner("plan", project.manifest, "--detailed-exitcode")
        #expect(before.status == 3)
        #expect(before.stdout.contains("+ frame_01.png"))
        #expect(before.stdout.contains("+ frame_02.png"))
        #expect(project.files(under: ".runner").isEmpty && project.files(under: "out").isEmpty, "plan wrote something")

        #expect(try project.runner("apply", project.manifest).status == 0)
        let after = try project.runner("plan", project.manifest, "--detailed-exitcode")
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(after.stdout.contains("= frame_01.png"))
        #expect(after.stdout.contains("Nothing to do"))
    }

    @Test func aDeletedClipIsMadeAgainAndOnlyIt() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())
        #expect(try project.runner("apply", project.manifest).status == 0)
        let clips = project.files(under: "out/clips").keys.sorted()
        try FileManager.default.removeItem(atPath: project.path(clips[1]))

        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            plan.actions(of: "clips") == [
                "frame_01.png": "cached", "frame_02.png": "regenerate", "frame_03.png": "cached",
            ])
        #expect(plan.items(of: "clips")[1].reason?.contains("is gone") == true)

        let rerun = try project.runner("apply", project.manifest)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("clips generated  1"))
        #expect(FileManager.default.fileExists(atPath: project.path(clips[1])))
    }

    @Test func anIdenticalFrameIsGeneratedOnceAndUsedTwice() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try FileManager.default.copyItem(
            atPath: project.path("frames/frame_01.png"), toPath: project.path("frames/frame_03.png"))
        try project.write(manifest: Manifests.local())

        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("clips generated  2"))
        #expect(project.files(under: "out/clips").count == 2)
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 3.0) < 0.1)
    }

    @Test func anInvalidManifestExitsTwoWithItsProblemsAndDoesNothing() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        try project.write(
            manifest: Manifests.local().replacingOccurrences(of: "duration: 1", with: "duration: 1, promt: hi"))
        for command in ["plan", "apply", "status"] {
            let result = try project.runner(command, project.manifest)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("pipeline.yaml:7:"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("prompt"), "\(command): \(result.stderr)")
        }
        #expect(project.files(under: ".runner").isEmpty && project.files(under: "out").isEmpty)
    }
}

/// Several frames and generate stages feeding one merge, and the local generator reading S3 frames.
@Suite(.serialized)
struct PipelineShapeTests {
    @Test func twoGenerateStagesAreMergedInNeedsOrder() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(
            manifest: """
                version: 1
                name: shapes
                providers:
                  draft: { type: kenburns, concurrency: 2 }
                stages:
                  wide-frames: { type: frames, from: ./frames/, include: ["frame_0[1-2]*"] }
                  close-frames: { type: frames, from: ./frames/, include: ["frame_03*"] }
                  close-ups: { type: generate, needs: [close-frames], provider: draft, ratio: "160:90", duration: 3, to: ./out/close/ }
                  opening: { type: generate, needs: [wide-frames], provider: draft, ratio: "160:90", duration: 1, to: ./out/opening/ }
                  film: { type: merge, needs: [opening, close-ups] }
                  publish: { type: publish, needs: [film], to: ./out/film.mp4, record: ./out/record.json }
                """)
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 5.0) < 0.1)
        struct Record: Decodable {
            struct Clip: Decodable {
                let stage: String
                let frame: String
                let duration: Double?
            }
            let clips: [Clip]
        }
        let record = try JSONDecoder().decode(
            Record.self, from: try Data(contentsOf: URL(fileURLWithPath: project.path("out/record.json"))))
        #expect(record.clips.map(\.frame) == ["frame_01.png", "frame_02.png", "frame_03.png"])
        #expect(record.clips.map(\.stage) == ["opening", "opening", "close-ups"])
        #expect(record.clips.map { ($0.duration ?? 0).rounded() } == [1, 1, 3])
    }

    @Test func theLocalGeneratorReadsS3FramesAndWritesS3Clips() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(
            manifest: """
                version: 1
                name: s3-draft
                providers:
                  draft: { type: kenburns }
                state: s3://\(cloud.bucket)/state/
                stages:
                  frames: { type: frames, from: "s3://\(cloud.bucket)/frames/" }
                  clips: { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, to: "s3://\(cloud.bucket)/clips/" }
                  film: { type: merge, needs: [clips] }
                  publish: { type: publish, needs: [film], to: "s3://\(cloud.bucket)/film.mp4" }
                """)
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try await cloud.tasksCreated() == 0)
        let objects = try await cloud.objects()
        #expect(objects.keys.filter { $0.hasPrefix("clips/") }.count == 2)
        let film = project.folder.appendingPathComponent("film.mp4")
        try await cloud.download("film.mp4", to: film)
        #expect(abs(try ProbedVideo.of(film.path).duration - 2.0) < 0.1)
    }
}
