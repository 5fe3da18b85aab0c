import Foundation
import TestSupport
import Testing

/// A captions stage in a whole local pipeline (frames -> Ken Burns clips -> merge -> captions -> publish): the
/// published film carries the captions, a rerun with nothing changed does nothing, and changing a caption makes only
/// the captions again. Lines are placed at the clips the merge's chapters name; burning re-encodes, which the plan
/// says. Hostile inputs: a subtitle file outside the project, a malformed one, a 10 MB one-line one.
@Suite(.serialized)
struct CaptionsPipelineTests {
    static func manifest(_ captions: String) -> String {
        Manifests.local(name: "words-test").replacingOccurrences(
            of: "  publish: { type: publish, needs: [film], to: ./out/film.mp4 }",
            with: """
                  words: { type: captions, needs: film, \(captions) }
                  publish: { type: publish, needs: [words], to: ./out/film.mp4 }
                """)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func actions(_ project: PipelineProject) throws -> [String: [String: String]] {
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        return Dictionary(
            uniqueKeysWithValues: ["clips", "film", "words", "publish"].map { ($0, plan.actions(of: $0)) })
    }

    @Test func theFilmGetsASubtitleTrackAndOnlyAChangedCaptionMakesItAgain() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try Self.write("1\n00:00:00,500 --> 00:00:01,500\nHello\n", to: project.path("captions/en.srt"))
        try project.write(manifest: Self.manifest("from: ./captions/en.srt, language: en-GB"))

        let plan = try project.runner("plan", project.manifest)
        #expect(
            plan.stdout.contains(
                "words (captions): en.srt, language en-GB, soft track (mov_text in MP4, WebVTT in WebM); "
                    + "stream-copies the picture"), "\(plan.stdout)")
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stderr)")
        let film = project.path("out/film.mp4")
        #expect(try subtitleCues(film) == ["00:00:00,500 --> 00:00:01,500|Hello"])
        let language = try run(
            "/usr/bin/env",
            [
                "ffprobe", "-v", "error", "-select_streams", "s", "-show_entries",
                "stream=codec_name:stream_tags=language",
                "-of", "csv=p=0", film,
            ])
        #expect(language.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "mov_text,eng")
        #expect(try ProbedVideo.decodesCleanly(film))

        // Nothing changed: nothing to do, nothing written.
        let before = project.files(under: "out").merging(project.files(under: ".runner")) { $1 }
        let again = try project.runner("apply", project.manifest)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nothing to do"), "\(again.stdout)")
        #expect(project.files(under: "out").merging(project.files(under: ".runner")) { $1 } == before)

        // Another caption: only the captions (and the publish of their new film) are made again.
        try Self.write("1\n00:00:00,500 --> 00:00:02,000\nHello again\n", to: project.path("captions/en.srt"))
        let actions = try Self.actions(project)
        #expect(actions["clips"]?.values.allSatisfy { $0 == "cached" } == true, "\(actions)")
        #expect(actions["film"] == ["film": "cached"], "\(actions)")
        #expect(actions["words"] == ["words": "regenerate"], "\(actions)")
        let remade = try project.runner("apply", project.manifest)
        #expect(remade.status == 0, "\(remade.stderr)")
        #expect(remade.stdout.contains("clips generated  0"))
        #expect(try subtitleCues(film) == ["00:00:00,500 --> 00:00:02,000|Hello again"])
    }

    @Test func linesArePlacedAtTheirClipsAndBurnedAtTheTop() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(
            manifest: Self.manifest(
                "lines: [{ match: \"frame_02*\", text: \"Second\" }], burn: { position: top, size: 20 }"))
        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("burned in at the top"), "\(plan.stdout)")
        #expect(plan.stdout.contains("would re-encode the picture"), "\(plan.stdout)")
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stderr)")

        // The merge's film (kept in the state) against the published one: the top band differs only while the
        // second clip (1 s to 2 s) is shown; the bottom never does, beyond the re-encode's noise.
        let merged = try #require(
            project.files(under: ".runner").keys.first { $0.contains("/film/") && $0.hasSuffix(".mp4") })
        let input = try lumaFrames(project.path(merged))
        let output = try lumaFrames(project.path("out/film.mp4"))
        #expect(input.count == 72 && output.count == 72, "\(input.count) and \(output.count) frames")
        for (index, (a, b)) in zip(input, output).enumerated() {
            let second = (Double(index) + 0.5) / 24
            let top = psnr(a, b, rows: 0..<30)
            let bottom = psnr(a, b, rows: 45..<90)
            #expect(bottom > 35, "frame \(index): bottom \(bottom) dB")
            if second > 1.05 && second < 1.95 {
                #expect(top < 25, "frame \(index): top \(top) dB while the caption is shown")
            } else if second < 0.95 || second > 2.05 {
                #expect(top > 35, "frame \(index): top \(top) dB with no caption")
            }
        }
    }

    @Test func hostileSubtitleFilesAreRefusedWithWhereAndWhy() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        // Outside the project: validate refuses it at its position.
        try project.write(manifest: Self.manifest("from: ../../../../../../etc/passwd.srt"))
        let validate = try project.runner("validate", project.manifest)
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("pipeline.yaml:9:"), "\(validate.stdout)")
        #expect(validate.stdout.contains("`stages.words.from` leads outside the project folder"), "\(validate.stdout)")

        // A bad timestamp: plan and apply stop before any clip is made, naming the subtitle file's line and column.
        try Self.write("1\n00:00:00,500 --> 00:00:01,5OO\nHi\n", to: project.path("captions/en.srt"))
        try project.write(manifest: Self.manifest("from: ./captions/en.srt"))
        for command in ["plan", "apply"] {
            let bad = try project.runner(command, project.manifest)
            #expect(bad.status == 1, "\(command): \(bad.stdout)\(bad.stderr)")
            #expect(
                bad.stderr.contains(
                    "stage `words`: \(project.path("captions/en.srt")):2:18: the end time \"00:00:01,5OO\""),
                "\(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.path("out")), "clips were made before the captions")

        // A 10 MB file on one line: refused at its first line, without printing it.
        try Self.write(String(repeating: "9", count: 10 << 20), to: project.path("captions/en.srt"))
        let huge = try project.runner("apply", project.manifest)
        #expect(huge.status != 0)
        #expect(huge.stderr.contains("en.srt:1:1: expected a cue number or a timing line"), "\(huge.stderr)")
        #expect(huge.stderr.utf8.count < 20_000)
    }

    /// Every frame's luma (160x90) as ffmpeg decodes it.
    func lumaFrames(_ path: String) throws -> [[UInt8]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let bytes = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let size = 160 * 90
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<($0 + size)]) }
    }

    /// The PSNR (dB) of rows `rows` of two 160-wide luma frames; infinity when equal.
    func psnr(_ a: [UInt8], _ b: [UInt8], rows: Range<Int>) -> Double {
        var squares = 0.0
        for row in rows {
            for column in 0..<160 {
                let difference = Double(a[row * 160 + column]) - Double(b[row * 160 + column])
                squares += difference * difference
            }
        }
        guard squares > 0 else { return .infinity }
        return 10 * log10(255 * 255 / (squares / Double(rows.count * 160)))
    }
}
