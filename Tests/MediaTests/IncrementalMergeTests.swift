import Foundation
import Testing

@testable import Media

/// A copy merge fed clip by clip (`IncrementalCopyMerge`) writes the very bytes of `ClipMerger.merge`, and a
/// contact sheet from rows made ahead is the very picture of one made at once.
@Suite struct IncrementalMergeTests {
    let fixtures = Fixtures.shared

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Merges `clips` both ways into `folder` and returns the two films' paths.
    func mergeBothWays(
        _ clips: [String], in folder: TemporaryFolder, options: MergeOptions = MergeOptions(mode: .copy),
        name: String = "film"
    ) throws -> (whole: String, incremental: String, report: MergeReport, incrementalReport: MergeReport) {
        let whole = folder.file("\(name)-whole.mp4")
        let incremental = folder.file("\(name)-incremental.mp4")
        let report = try ClipMerger.merge(inputs: clips, output: whole, options: options)
        let merge = try IncrementalCopyMerge(output: incremental, clipCount: clips.count, options: options)
        for (index, clip) in clips.enumerated() {
            #expect(
                !FileManager.default.fileExists(atPath: incremental), "the film is renamed into place only by finish")
            try merge.append(clip)
            #expect(merge.clipsAppended == index + 1)
        }
        let incrementalReport = try merge.finish()
        return (whole, incremental, report, incrementalReport)
    }

    @Test func clipsWithAudioGiveTheSameBytesAsAWholeMerge() throws {
        let folder = try TemporaryFolder()
        // The whole merge is deterministic to begin with (else the comparison below proves nothing).
        let again = folder.file("again.mp4")
        let films = try mergeBothWays(fixtures.withAudio + fixtures.withAudio.reversed(), in: folder)
        _ = try ClipMerger.merge(
            inputs: fixtures.withAudio + fixtures.withAudio.reversed(), output: again,
            options: MergeOptions(mode: .copy))
        #expect(try bytes(films.whole) == bytes(again))
        #expect(try bytes(films.incremental) == bytes(films.whole))
        #expect(films.incrementalReport.reason == films.report.reason)
        #expect(films.incrementalReport.duration == films.report.duration)
        #expect(films.incrementalReport.clipCount == 6 && films.incrementalReport.mode == .copy)
        #expect(try Oracle.moovFirst(films.incremental))
        #expect(try Oracle.decodeErrors(films.incremental) == "")
        // Decode timestamps rise strictly across every join.
        for stream in ["v:0", "a:0"] {
            let dts = try runTool([
                "ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=dts", "-of", "csv=p=0",
                films.incremental,
            ])
            .output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            #expect(dts.count > 10 && zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 }, "DTS of \(stream)")
        }
    }

    @Test func silentClipsInAutoModeGiveTheSameBytesAndReason() throws {
        let folder = try TemporaryFolder()
        let films = try mergeBothWays(fixtures.silent + fixtures.silent, in: folder, options: MergeOptions())
        #expect(try bytes(films.incremental) == bytes(films.whole))
        #expect(
            films.incrementalReport
                == MergeReport(
                    mode: .copy, reason: films.report.reason, output: films.incremental,
                    clipCount: 4, duration: films.report.duration, hasAudio: false,
                    timestampAdjustments: films.report.timestampAdjustments))
    }

    /// Twenty joins of marked clips: the same bytes, and sound stays with the picture (measured as a player plays it).
    @Test func twentyJoinsGiveTheSameBytesAndStayInSync() throws {
        let clips = try TimelineMergeTests.Clips()
        let films = try mergeBothWays(clips.film, in: clips.folder)
        #expect(try bytes(films.incremental) == bytes(films.whole))
        try TimelineMergeTests().expectInSync(films.incremental, clips: clips, frameSamples: 1024)
    }

    @Test func aClipThatCannotBeCopiedStopsTheMergeAndLeavesNoFile() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("film.mp4")
        let merge = try IncrementalCopyMerge(output: output, clipCount: 3, options: MergeOptions())
        try merge.append(fixtures.withAudio[0])
        #expect(
            throws: MediaError.incompatibleClip(
                index: 1, path: fixtures.larger, parameter: "video size", found: "480x360", expected: "320x240")
        ) {
            try merge.append(fixtures.larger)
        }
        merge.cancel()
        #expect(throws: MediaError.self) { try merge.finish() }
        #expect(folder.contents().isEmpty, "\(folder.contents())")
    }

    @Test func finishNeedsEveryClip() throws {
        let folder = try TemporaryFolder()
        let merge = try IncrementalCopyMerge(output: folder.file("film.mp4"), clipCount: 3)
        try merge.append(fixtures.withAudio[0])
        try merge.append(fixtures.withAudio[1])
        #expect(throws: MediaError.self) { try merge.finish() }
        #expect(throws: MediaError.self) {
            try IncrementalCopyMerge(output: folder.file("x.mp4"), clipCount: 2, options: MergeOptions(mode: .reencode))
        }
    }

    @Test func aSheetOfRowsMadeAheadIsTheSamePicture() throws {
        let folder = try TemporaryFolder()
        let stills = try (1...3).map { index in
            let path = folder.file("frame\(index).png")
            try ClipMaker.image(path, size: "320x240", pattern: ["testsrc2", "smptebars", "rgbtestsrc"][index - 1])
            return path
        }
        let rows = zip(stills, fixtures.withAudio).enumerated().map { (frame: $1.0, clip: $1.1, number: $0 + 1) }
        let atOnce = folder.file("at-once.png")
        let ahead = folder.file("ahead.png")
        try Thumbnails.framesBesideClips(rows, output: atOnce)
        // Rows made in another order (as clips land), put in film order at the end.
        var made: [Int: Thumbnails.SheetRow] = [:]
        for index in [2, 0, 1] {
            made[index] = try Thumbnails.SheetRow(frame: rows[index].frame, clip: rows[index].clip, number: index + 1)
        }
        try Thumbnails.framesBesideClips((0..<3).compactMap { made[$0] }, output: ahead)
        #expect(try bytes(ahead) == bytes(atOnce))
        let oracle = try Oracle(ahead)
        #expect(oracle.video?.width == 8 + 2 * (240 + 8) && oracle.video?.height == 8 + 3 * (180 + 8))
        // The sheet is deflated fast: the pixels are those of the default deflate's PNG.
        let picture = Thumbnails.compose(
            (0..<3).flatMap { [made[$0]!.frame, made[$0]!.clip] }, columns: 2, tileWidth: 240
        ) { $0 % 2 == 0 ? $0 / 2 + 1 : nil }
        let usual = folder.file("usual.png")
        try PNGWriter.write(picture, to: usual)
        #expect(
            try rgb(usual) == rgb(ahead) && rgb(usual).count == picture.pixels.count && rgb(usual) == picture.pixels)
    }

    /// A picture's pixels as ffmpeg decodes them (RGB, 8 bits each).
    func rgb(_ path: String) throws -> [UInt8] {
        try decodedPixels(path, format: "rgb24")
    }
}
