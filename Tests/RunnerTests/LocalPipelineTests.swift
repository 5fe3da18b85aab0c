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
        #expect(plan.actions(of: "clips") == ["frame_01.png": "cached", "frame_02.png": "regenerate", "frame_03.png": "cached"])
        #expect(plan.items(of: "clips")[1].reason?.contains("is gone") == true)

        let rerun = try project.runner("apply", project.manifest)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("clips generated  1"))
        #expect(FileManager.default.fileExists(atPath: project.path(clips[1])))
    }

    @Test func anIdenticalFrameIsGeneratedOnceAndUsedTwice() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try FileManager.default.copyItem(atPath: project.path("frames/frame_01.png"), toPath: project.path("frames/frame_03.png"))
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
        try project.write(manifest: Manifests.local().replacingOccurrences(of: "duration: 1", with: "duration: 1, promt: hi"))
        for command in ["plan", "apply", "status"] {
            let result = try project.runner(command, project.manifest)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("pipeline.yaml:7:"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("prompt"), "\(command): \(result.stderr)")
        }
        #expect(project.files(under: ".runner").isEmpty && project.files(under: "out").isEmpty)
    }
}
