import Foundation
import TestSupport
import Testing

/// `runner kenburns`, `runner probe` and `runner merge` end to end, with ffprobe as the independent check.
@Suite struct MediaCommandTests {
    @Test func kenBurnsClipsMergeIntoOneVideoOfTheirSummedLength() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = ["frame_01_dawn.jpg", "frame_03_ripples.jpg"].map {
            PackagePaths.root.appendingPathComponent("examples/frames/\($0)").path
        }
        var clips: [String] = []
        for (index, frame) in frames.enumerated() {
            let clip = folder.appendingPathComponent("clip\(index).mp4").path
            let made = try runner("kenburns", frame, "-o", clip, "--size", "320x180", "--duration", "1", "--seed", String(index),
                                  "--preset", "ultrafast")
            #expect(made.status == 0, "\(made.stderr)")
            clips.append(clip)
        }
        let probe = try runner("probe", clips[0], "--format", "json")
        #expect(probe.status == 0)
        let info = try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any]
        #expect((info?["duration"] as? Double).map { abs($0 - 1) < 0.05 } == true)

        let film = folder.appendingPathComponent("film.mp4").path
        let merged = try runner("merge", clips[0], clips[1], "-o", film)
        #expect(merged.status == 0, "\(merged.stderr)")
        let checked = try run("/usr/bin/env", ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", film])
        #expect(Double(checked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).map { abs($0 - 2) < 0.1 } == true)
    }

    @Test func missingClipIsInvalidInputAndNamed() throws {
        let output = try runner("merge", "/nonexistent/clip.mp4", "-o", "/tmp/never-written.mp4")
        #expect(output.status == 2)
        #expect(output.stderr.contains("/nonexistent/clip.mp4"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.mp4"))
    }
}
