import Foundation
import TestSupport
import Testing

/// `runner kenburns`, `runner probe` and `runner merge` end to end, with ffprobe as the independent check.
@Suite struct MediaCommandTests {
    /// A Ken Burns clip is reproducible: the same image and options give the same bytes run after run (each render in
    /// a process of its own, as reruns are), also when renders run at once; another seed gives other bytes.
    @Test func kenBurnsGivesTheSameBytesRunAfterRunAndAtOnceAndASeedChangesThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = PackagePaths.root.appendingPathComponent("examples/frames/frame_02_fractal.jpg").path
        func arguments(_ name: String, seed: Int = 7) -> [String] {
            [
                "kenburns", image, "-o", folder.appendingPathComponent(name).path, "--size", "320x180", "--duration",
                "1",
                "--seed", String(seed), "--preset", "ultrafast",
            ]
        }
        for name in ["one.mp4", "two.mp4"] {
            let made = try run(PackagePaths.runner, arguments(name))
            #expect(made.status == 0, "\(made.stderr)")
        }
        let other = try run(PackagePaths.runner, arguments("three.mp4", seed: 8))
        #expect(other.status == 0, "\(other.stderr)")
        // Three at once, as apply runs a provider's renders side by side.
        let together = try (0..<3).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PackagePaths.runner)
            process.arguments = arguments("together\(index).mp4")
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in together { process.waitUntilExit() }
        #expect(together.allSatisfy { $0.terminationStatus == 0 })
        let bytes = { (name: String) in try Data(contentsOf: folder.appendingPathComponent(name)) }
        let one = try bytes("one.mp4")
        #expect(try bytes("two.mp4") == one)
        #expect(try bytes("three.mp4") != one)
        for index in 0..<3 {
            #expect(try bytes("together\(index).mp4") == one, "render \(index) of three at once differs")
        }
    }

    @Test func kenBurnsClipsMergeIntoOneVideoOfTheirSummedLength() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = ["frame_01_dawn.jpg", "frame_03_ripples.jpg"].map {
            PackagePaths.root.appendingPathComponent("examples/frames/\($0)").path
        }
        var clips: [String] = []
        for (index, frame) in frames.enumerated() {
            let clip = folder.appendingPathComponent("clip\(index).mp4").path
            let made = try runner(
                "kenburns", frame, "-o", clip, "--size", "320x180", "--duration", "1", "--seed", String(index),
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
        let checked = try run(
            "/usr/bin/env", ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", film])
        #expect(
            Double(checked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).map { abs($0 - 2) < 0.1 } == true)
    }

    @Test func missingClipIsInvalidInputAndNamed() throws {
        let output = try runner("merge", "/nonexistent/clip.mp4", "-o", "/tmp/never-written.mp4")
        #expect(output.status == 2)
        #expect(output.stderr.contains("/nonexistent/clip.mp4"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.mp4"))
    }
}
