import Foundation
import TestSupport
import Testing

/// Transitions on a merge stage, through `runner apply`: the film is the clips minus the overlaps, and a changed
/// transition merges again without making any clip again.
@Suite(.serialized)
struct TransitionPipelineTests {
    static func local(film: String) -> String {
        Manifests.local().replacingOccurrences(of: "film:   { type: merge, needs: [clips] }", with: film)
    }

    @Test func aChangedTransitionMergesAgainAndMakesNoClip() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(
            manifest: Self.local(
                film: "film:   { type: merge, needs: [clips], transition: { type: crossfade, duration: 0.25s } }"))
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("clips generated  3"))
        let filmPath = project.path("out/film.mp4")
        // Three 1 s clips, two joins of 0.25 s each.
        #expect(abs(try ProbedVideo.of(filmPath).duration - 2.5) < 0.05)
        #expect(try ProbedVideo.decodesCleanly(filmPath))
        let before = try Data(contentsOf: URL(fileURLWithPath: filmPath))

        try project.write(
            manifest: Self.local(
                film: "film:   { type: merge, needs: [clips], transition: { type: crossfade, duration: 500ms } }"))
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(plan.actions(of: "clips").values.allSatisfy { $0 == "cached" })
        // The film is made again, and plan says why, as it does for a clip.
        let film = try #require(plan.items(of: "film").first)
        #expect(film.action == "regenerate" && film.reason == "transition changed", "\(film)")
        let text = try project.runner("plan", project.manifest)
        #expect(text.stdout.contains("~ film  again: transition changed"), "\(text.stdout)")
        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("clips generated  0"), "\(second.stdout)")
        #expect(abs(try ProbedVideo.of(filmPath).duration - 2.0) < 0.05)
        #expect(try Data(contentsOf: URL(fileURLWithPath: filmPath)) != before)
    }

    @Test func aJoinTransitionAppliesAfterItsFrameOnly() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(
            manifest: Self.local(
                film: """
                    film:
                        type: merge
                        needs: [clips]
                        transitions:
                          - { after: "frame_02*", type: dip-to-black, duration: 0.5 }
                    """))
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 2.5) < 0.05)
    }

    @Test func aJoinTransitionMatchingNoFrameStopsTheMergeNamingItsPlace() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try project.write(
            manifest: Self.local(
                film: """
                    film:
                        type: merge
                        needs: [clips]
                        transitions:
                          - { after: "scene_*", type: crossfade, duration: 0.5 }
                          - { after: "frame_02*", type: crossfade, duration: 0.5 }
                    """))
        // The clips' frames are known once the merge has its clips: the merge fails there, naming the entry.
        let apply = try project.runner("apply", project.manifest)
        let output = apply.stdout + apply.stderr
        #expect(apply.status == 1, "\(output)")
        #expect(output.contains("pipeline.yaml:12:"), "\(output)")
        #expect(output.contains("`after: scene_*` matches no clip's frame"), "\(output)")
        #expect(!output.contains("stage `film`: stage `film`"), "the stage is named twice: \(output)")
        #expect(!output.contains("stage `film`: pipeline.yaml"), "the stage is named twice: \(output)")
        // The merge failed: the summary counts it, as the events say it.
        #expect(output.contains("Apply failed"), "\(output)")
        #expect(output.range(of: #"\n  failed +1\n"#, options: .regularExpression) != nil, "\(output)")
        #expect(
            output.contains("  ! film film: ") && output.contains("pipeline.yaml:12:9: stage `film`: `transitions`"),
            "\(output)")
        #expect(!FileManager.default.fileExists(atPath: project.path("out/film.mp4")))
    }
}

/// The same with Runway clips (the double) in S3 and the film published to S3.
@Suite(.serialized)
struct CloudTransitionPipelineTests {
    @Test func s3ClipsAreJoinedWithTransitionsAndAChangeMakesNoTask() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        func manifest(_ duration: String) -> String {
            Manifests.runway(bucket: cloud.bucket).replacingOccurrences(
                of: "    type: merge\n    needs: [clips]\n",
                with:
                    "    type: merge\n    needs: [clips]\n    transition: { type: wipe-left, duration: \(duration) }\n")
        }
        try project.write(manifest: manifest("0.5s"))
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try await cloud.tasksCreated() == 3)
        let film = project.folder.appendingPathComponent("film.mp4")
        try await cloud.download("final/film.mp4", to: film)
        #expect(abs(try ProbedVideo.of(film.path).duration - 14.0) < 0.1)
        #expect(try ProbedVideo.decodesCleanly(film.path))

        try project.write(manifest: manifest("1s"))
        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("clips generated  0"), "\(second.stdout)")
        #expect(try await cloud.tasksCreated() == 3)
        try await cloud.download("final/film.mp4", to: film)
        #expect(abs(try ProbedVideo.of(film.path).duration - 13.0) < 0.1)
    }
}
