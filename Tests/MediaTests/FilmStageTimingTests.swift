import Foundation
import Testing

@testable import Media

/// Film stages one after another (soundtrack, then a soft caption track, then another) on a merged film, in WebM
/// (VP9 + Opus, whose codec delay puts the first sound packet before 0) and MP4: each keeps the picture where the
/// merge put it, the sound starting with the picture, the chapters and cues on the picture's clock, and the file
/// decoding clean. ffprobe and ffmpeg are the oracles.
@Suite(.serialized)
struct FilmStageTimingTests {
    /// The first decoded frame's time of the first `kind` stream (`v`, `a`): for sound, the first sample heard, after
    /// the decoder has dropped the encoder's priming (Opus' pre-skip, AAC's edit list).
    static func firstFrame(_ path: String, _ kind: String) throws -> Double {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "\(kind):0", "-read_intervals", "%+1", "-show_entries",
            "frame=pts_time", "-of", "csv=p=0", path,
        ])
        let first = result.output.split(whereSeparator: \.isNewline).first { !$0.isEmpty }
        return try #require(first.flatMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) })
    }

    /// The video stream's start time as ffprobe gives it.
    static func videoStart(_ path: String) throws -> Double {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=start_time", "-of", "csv=p=0",
            path,
        ])
        return try #require(Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The start of the cue carrying `text` in subtitle stream `stream`, in seconds after the picture's start.
    static func cueStart(_ path: String, stream: Int, text: String, picture: Double) throws -> Double {
        let packets = try CaptionOracle.subtitlePackets(path, stream: stream)
        let cue = try #require(packets.first { $0.text.contains(text) }, "no cue '\(text)' in \(packets)")
        return cue.start - picture
    }

    func runStages(_ format: OutputFormat) throws {
        let folder = try TemporaryFolder()
        let ext = format.rawValue
        var options = MergeOptions(mode: format == .mp4 ? .copy : .reencode, format: format)
        options.preset = "ultrafast"
        let titles = ["a.jpg", "b.jpg", "c.jpg"]
        let merged = folder.file("merged.\(ext)")
        _ = try ClipMerger.merge(inputs: Fixtures.shared.withAudio, output: merged, options: options, titles: titles)
        #expect(try Oracle.decodeErrors(merged) == "", "the merge's \(ext) film")
        let picture = try Self.videoStart(merged)
        let chapters = try FilmChapters.read(path: merged)
        #expect(chapters.map(\.title) == titles)
        // The merge itself puts the sound's first heard sample with the first picture.
        #expect(abs(try Self.firstFrame(merged, "a") - Self.firstFrame(merged, "v")) <= 0.001, "\(ext) merge")

        let scored = folder.file("scored.\(ext)")
        _ = try Soundtrack.render(
            film: merged, output: scored, format: format, recipe: SoundtrackRecipe(), scratch: folder.path)
        let first = folder.file("first.\(ext)")
        _ = try FilmCaptions.addTrack(
            [Caption(start: 500, end: 1500, text: "first track")], language: "eng", film: scored, output: first)
        let second = folder.file("second.\(ext)")
        _ = try FilmCaptions.addTrack(
            [Caption(start: 1250, end: 2000, text: "second track")], language: "fre", film: first, output: second)

        for stage in [scored, first, second] {
            let name = "\(ext) \(URL(fileURLWithPath: stage).lastPathComponent)"
            let start = try Self.videoStart(stage)
            #expect(abs(start - picture) <= 0.001, "\(name): the picture starts at \(start), not \(picture)")
            let offset = try Self.firstFrame(stage, "a") - Self.firstFrame(stage, "v")
            #expect(abs(offset) <= 0.001, "\(name): the sound starts \(offset) s after the picture")
            let read = try FilmChapters.read(path: stage)
            #expect(read.map(\.title) == titles, "\(name)")
            for (ours, merge) in zip(read, chapters) {
                #expect(abs(ours.start - merge.start) <= 0.001 && abs(ours.end - merge.end) <= 0.001, "\(name)")
            }
            #expect(try Oracle.decodeErrors(stage) == "", "\(name) decodes clean")
        }
        for stage in [first, second] {
            let cue = try Self.cueStart(stage, stream: 0, text: "first track", picture: try Self.videoStart(stage))
            #expect(abs(cue - 0.5) <= 0.001, "\(ext): the first track's cue is at \(cue) s of the picture")
        }
        let cue = try Self.cueStart(second, stream: 1, text: "second track", picture: try Self.videoStart(second))
        #expect(abs(cue - 1.25) <= 0.001, "\(ext): the second track's cue is at \(cue) s of the picture")
    }

    @Test func webMStagesKeepThePictureTheSoundAndTheCuesTogether() throws { try runStages(.webm) }

    @Test func mp4StagesKeepThePictureTheSoundAndTheCuesTogether() throws { try runStages(.mp4) }
}
