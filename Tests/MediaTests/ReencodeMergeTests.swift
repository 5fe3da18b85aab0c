import Foundation
import Testing

@testable import Media

@Suite struct ReencodeMergeTests {
    let fixtures = Fixtures.shared

    func fast(_ options: MergeOptions) -> MergeOptions {
        var options = options
        options.preset = "ultrafast"
        return options
    }

    @Test func mixedClipsDefaultToFirstClipsSizeAndRateWithSilenceFilled() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("mixed.mp4")
        let report = try ClipMerger.merge(
            inputs: fixtures.mixed, output: output, options: fast(MergeOptions(mode: .reencode)))
        #expect(report.mode == .reencode)
        #expect(report.hasAudio)
        let oracle = try Oracle(output)
        #expect(oracle.video?.width == 240 && oracle.video?.height == 320)
        #expect(oracle.video?.frameRate == "30/1")
        #expect(oracle.video?.frames == 90)
        #expect(oracle.streams.map(\.type) == ["video", "audio"])
        #expect(oracle.streams.last?.codec == "aac")
        let inputs = try fixtures.mixed.map { try Oracle($0).duration }.reduce(0, +)
        #expect(abs(oracle.duration - inputs) <= 3.0 / 30)
        #expect(try Oracle.decodeErrors(output) == "")
        #expect(try Oracle.moovFirst(output))
    }

    @Test func scalesPadsAndConvertsRateOnRequest() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("landscape.mp4")
        let options = fast(MergeOptions(mode: .reencode, fps: 24, size: FrameSize(width: 320, height: 240)))
        _ = try ClipMerger.merge(inputs: fixtures.mixed, output: output, options: options)
        let oracle = try Oracle(output)
        #expect(oracle.video?.width == 320 && oracle.video?.height == 240)
        #expect(oracle.video?.frameRate == "24/1")
        #expect(oracle.video?.frames == 72)
        #expect(abs(oracle.duration - 3.0) <= 3.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
        // The portrait first clip is pillarboxed: its left 40 columns are black.
        let strip = try runTool([
            "ffmpeg", "-v", "error", "-i", output, "-vf", "crop=40:240:0:0", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ])
        let bytes = Array(strip.output.utf8)
        #expect(!bytes.isEmpty)
        #expect(bytes.allSatisfy { $0 < 40 })
    }

    @Test func autoModeReencodesDifferingClipsAndSaysWhich() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("auto.mp4")
        let report = try ClipMerger.merge(
            inputs: [fixtures.withAudio[0], fixtures.larger], output: output, options: fast(MergeOptions()))
        #expect(report.mode == .reencode)
        #expect(
            report.reason.contains("clip 2") && report.reason.contains("video size")
                && report.reason.contains("480x360"))
        let oracle = try Oracle(output)
        #expect(oracle.video?.width == 320 && oracle.video?.height == 240)
        #expect(oracle.video?.frames == 48)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func clipsWithoutAudioGiveNoAudioStream() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("silent.mp4")
        _ = try ClipMerger.merge(inputs: fixtures.silent, output: output, options: fast(MergeOptions(mode: .reencode)))
        let oracle = try Oracle(output)
        #expect(oracle.streams.map(\.type) == ["video"])
        #expect(oracle.video?.frames == 48)
    }

    @Test func audioIsKeptWhenEveryClipHasIt() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("sound.mp4")
        _ = try ClipMerger.merge(
            inputs: fixtures.withAudio, output: output, options: fast(MergeOptions(mode: .reencode)))
        let audio = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,duration",
            "-of", "csv=p=0", output,
        ]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = audio.split(separator: ",")
        #expect(parts.first == "aac")
        #expect(abs((Double(parts.last ?? "") ?? 0) - 3.0) < 0.05)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func crossfadeOverlapsClips() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("fade.mp4")
        let options = fast(MergeOptions(mode: .reencode, transition: .crossfade(seconds: 0.25)))
        _ = try ClipMerger.merge(inputs: fixtures.withAudio, output: output, options: options)
        let oracle = try Oracle(output)
        #expect(oracle.video?.frames == 72 - 2 * 6)
        #expect(abs(oracle.duration - 2.5) <= 3.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func crossfadeBlendsTheEndOfOneClipIntoTheNext() throws {
        let folder = try TemporaryFolder()
        let black = folder.file("black.mp4")
        let white = folder.file("white.mp4")
        let output = folder.file("fade.mp4")
        try ClipMaker.clip(black, audio: false, pattern: "color=c=black")
        try ClipMaker.clip(white, audio: false, pattern: "color=c=white")
        let options = fast(MergeOptions(mode: .reencode, transition: .crossfade(seconds: 0.5)))
        _ = try ClipMerger.merge(inputs: [black, white], output: output, options: options)
        #expect(try Oracle(output).video?.frames == 36)
        // Mean luma of output frame `n`, decoded by ffmpeg.
        func brightness(_ n: Int) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "ffmpeg", "-v", "error", "-i", output, "-vf", "select=eq(n\\,\(n))", "-frames:v", "1",
                "-f", "rawvideo", "-pix_fmt", "gray", "-",
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let bytes = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            return bytes.isEmpty ? -1 : Double(bytes.reduce(0) { $0 + Int($1) }) / Double(bytes.count)
        }
        #expect(try brightness(5) < 30)  // black clip alone
        let middle = try brightness(18)  // half way through the 12-frame fade
        #expect(middle > 90 && middle < 180)
        #expect(try brightness(14) < middle)  // the fade rises steadily
        #expect(try brightness(30) > 220)  // white clip alone
    }

    @Test func crossfadeLongerThanAClipIsRefused() throws {
        let folder = try TemporaryFolder()
        let options = MergeOptions(mode: .reencode, transition: .crossfade(seconds: 0.8))
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: fixtures.withAudio, output: folder.file("o.mp4"), options: options)
        }
        #expect(folder.contents().isEmpty)
    }

    @Test func webmIsVP9WithOpus() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("merged.webm")
        let report = try ClipMerger.merge(
            inputs: [fixtures.withAudio[0], fixtures.silent[0]], output: output,
            options: MergeOptions(format: .webm))
        #expect(report.mode == .reencode)
        let oracle = try Oracle(output)
        #expect(oracle.video?.codec == "vp9")
        #expect(oracle.streams.last?.codec == "opus")
        #expect(abs(oracle.duration - 2.0) <= 2.0 / 24 + 0.03)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func autoModeReencodesClipsWithAndWithoutAudioFillingSilence() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("mixed-audio.mp4")
        let report = try ClipMerger.merge(
            inputs: [fixtures.withAudio[0], fixtures.silent[0]], output: output, options: fast(MergeOptions()))
        #expect(report.mode == .reencode)
        #expect(report.reason.contains("audio"))
        let oracle = try Oracle(output)
        #expect(oracle.streams.map(\.type) == ["video", "audio"])
        #expect(abs(oracle.duration - 2.0) <= 2.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func clipWhoseDataIsDamagedFailsMidMergeAndLeavesNoFile() throws {
        let folder = try TemporaryFolder()
        // A faststart clip whose media data is zeroed: the header reads fine, no picture decodes.
        let damaged = folder.file("zeroed.mp4")
        try ClipMaker.clip(damaged, audio: false, extra: ["-movflags", "+faststart"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        let marker = try #require(bytes.range(of: Data("mdat".utf8)))
        bytes.replaceSubrange(marker.upperBound..<bytes.count, with: Data(count: bytes.count - marker.upperBound))
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let output = folder.file("out.mp4")
        do {
            _ = try ClipMerger.merge(
                inputs: [fixtures.silent[0], damaged], output: output, options: fast(MergeOptions(mode: .reencode)))
            Issue.record("merged a clip with no decodable picture")
        } catch {
            guard case .decodingFailed(let path, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == damaged)
        }
        #expect(folder.contents() == ["zeroed.mp4"])
    }

    @Test func qualityOutOfRangeIsInvalidInput() throws {
        let folder = try TemporaryFolder()
        do {
            _ = try ClipMerger.merge(
                inputs: fixtures.withAudio, output: folder.file("o.mp4"), options: MergeOptions(quality: 1.5))
            Issue.record("accepted quality 1.5")
        } catch {
            #expect(error.isInvalidInput)
            #expect(error.description.contains("0.1 to 1.0"))
        }
    }

    @Test func fittingKeepsAspectOnEvenPixels() {
        let portrait = FrameFitter.placement(sourceWidth: 720, sourceHeight: 1280, width: 1280, height: 720)
        #expect(portrait.height == 720 && portrait.width == 406 && portrait.x == 436 && portrait.y == 0)
        let square = FrameFitter.placement(sourceWidth: 960, sourceHeight: 960, width: 1280, height: 720)
        #expect(square == (280, 0, 720, 720))
    }
}
