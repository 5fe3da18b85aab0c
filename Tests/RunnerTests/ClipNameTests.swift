import Foundation
import TestSupport
import Testing

/// A generate stage's `clipName` end to end, through the runner binary: clips named as the original system named
/// them, a changed frame's clip made again over the old one while the others stay, two frames that would share a
/// name refused before anything is made, and a changed `clipName` explained by plan.
@Suite(.serialized)
struct ClipNameTests {
    /// A Ken Burns pipeline whose clips stage names its clips by `clipName` (the default when nil).
    static func manifest(clipName: String?) -> String {
        let naming = clipName.map { "clipName: \"\($0)\", " } ?? ""
        return """
            version: 1
            name: named
            providers:
              draft: { type: kenburns, concurrency: 2 }
            stages:
              frames: { type: frames, from: ./frames/ }
              clips: { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, \(naming)to: ./out/clips/ }
              film: { type: merge, needs: [clips] }
              publish: { type: publish, needs: [film], to: ./out/film.mp4 }
            """
    }

    /// The MP4 files directly in `out/clips/`, sorted.
    static func clipFiles(_ project: PipelineProject) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: project.path("out/clips")).filter { $0.hasSuffix(".mp4") }
            .sorted()
    }

    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func theOriginalNamesAndAChangedFrameReplacesItsOwnClipOnly() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(manifest: Self.manifest(clipName: "{frame}_video_clip.mp4"))

        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(
            try Self.clipFiles(project) == [
                "frame_01_video_clip.mp4", "frame_02_video_clip.mp4", "frame_03_video_clip.mp4",
            ])
        let before = try Dictionary(
            uniqueKeysWithValues: Self.clipFiles(project).map { ($0, try Self.bytes(project.path("out/clips/\($0)"))) })

        // frame_02 gets other content (frame_04's picture): its clip is made again under the same name.
        let replacement = try PipelineProject.make(frames: 4)
        defer { replacement.remove() }
        try FileManager.default.removeItem(atPath: project.path("frames/frame_02.png"))
        try FileManager.default.copyItem(
            atPath: replacement.path("frames/frame_04.png"), toPath: project.path("frames/frame_02.png"))
        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("frame_02.png"), "\(plan.stdout)")
        let again = try project.runner("apply", project.manifest, "--format", "json")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(ChainTests.made(again) == ["frame_02.png"])
        #expect(try Self.clipFiles(project) == before.keys.sorted(), "the new clip took a new name")
        #expect(try Self.bytes(project.path("out/clips/frame_02_video_clip.mp4")) != before["frame_02_video_clip.mp4"])
        for name in ["frame_01_video_clip.mp4", "frame_03_video_clip.mp4"] {
            #expect(try Self.bytes(project.path("out/clips/\(name)")) == before[name], "\(name) was made again")
        }
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 3) < 0.1)
    }

    @Test func twoFramesThatWouldShareANameAreRefusedBeforeAnythingIsMade() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        // frame_01.jpg beside frame_01.png: one stem, two pictures.
        let converted = try run(
            try Scratch.which("ffmpeg"),
            ["-v", "error", "-y", "-i", project.path("frames/frame_02.png"), project.path("frames/frame_01.jpg")])
        #expect(converted.status == 0, "\(converted.stderr)")
        try project.write(manifest: Self.manifest(clipName: "{frame}_video_clip.mp4"))

        for command in ["plan", "apply"] {
            let refused = try project.runner(command, project.manifest)
            #expect(refused.status == 1, "\(command): \(refused.stdout)\(refused.stderr)")
            // At clipName's place in the manifest (line 7), as validate would put it.
            #expect(
                refused.stderr.contains(
                    "pipeline.yaml:7:102: error: stage `clips` would store the clips of frame_01.jpg and frame_01.png both as "
                ),
                "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("put {key} in `clipName`"), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.path("out/clips")), "clips were made")

        // With the key in the name, the two frames' clips are apart.
        try project.write(manifest: Self.manifest(clipName: "{frame}_{key}.mp4"))
        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let names = try Self.clipFiles(project)
        #expect(names.count == 3, "\(names)")
        #expect(names.filter { $0.hasPrefix("frame_01_") }.count == 2, "\(names)")
    }

    /// Frame names as long as a file system takes: a clip name that fits is made (its temporary file fits too); one
    /// that does not is refused by plan and apply before anything is made, not after the clip was paid for.
    @Test func aLongFrameNameIsMadeWhenItsClipNameFitsAndRefusedBeforeAnythingWhenNot() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let long = String(repeating: "y", count: 200)
        try FileManager.default.moveItem(
            atPath: project.path("frames/frame_02.png"), toPath: project.path("frames/\(long).png"))
        try project.write(manifest: Self.manifest(clipName: "{frame}_video_clip.mp4"))
        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(try Self.clipFiles(project).contains("\(long)_video_clip.mp4"))

        // 245 bytes of name and 15 of suffix: 260 bytes, more than a file name may have.
        let longer = String(repeating: "z", count: 245)
        try FileManager.default.moveItem(
            atPath: project.path("frames/\(long).png"), toPath: project.path("frames/\(longer).png"))
        for command in ["plan", "apply"] {
            let refused = try project.runner(command, project.manifest)
            #expect(refused.status == 1, "\(command): \(refused.stdout)\(refused.stderr)")
            #expect(
                refused.stderr.contains(
                    "would store the clip of \(longer).png under a file name of 260 bytes, more than the 255 it may have"
                ),
                "\(refused.stderr)")
        }
        #expect(try Self.clipFiles(project).count == 2, "a clip was made for the refused name")
    }

    @Test func aChangedClipNameIsExplainedByPlan() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try project.write(manifest: Self.manifest(clipName: nil))
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let old = try #require(try Self.clipFiles(project).first)
        #expect(old.hasPrefix("frame_01-") && old.count == "frame_01-12345678.mp4".count, "\(old)")

        try project.write(manifest: Self.manifest(clipName: "{frame}_video_clip.mp4"))
        let plan = try project.runner("plan", project.manifest)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(
            plan.stdout.contains(
                "its output was stored as \(old), not frame_01_video_clip.mp4 (the stage's clipName changed)"),
            "\(plan.stdout)")
    }
}
