import Foundation
import Testing

@testable import Media

/// Captions put into films, checked with ffprobe and ffmpeg: the subtitle packets' text and times, the picture and
/// sound copied bit for bit, and burned text changing the pixels of its band and nothing else.
@Suite struct FilmCaptionsTests {
    static let captions = [
        Caption(start: 500, end: 1500, text: "Hello there"),
        Caption(start: 2000, end: 2750, text: "{\\an8}{\\pos(0,0)} <b>x</b> & \\N two\nlines"),
    ]

    @Test func aSoftTrackInMP4CarriesEachCaptionsTextAndTimes() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("film.mp4")
        try CaptionOracle.film(film, chapters: [("frame_01.png", 0, 1.5), ("frame_02.png", 1.5, 3)])
        let output = folder.file("captioned.mp4")
        let report = try FilmCaptions.addTrack(Self.captions, language: "por", film: film, output: output)
        #expect(report == CaptionReport(written: 2, cut: 0, leftOut: 0))

        let subtitles = try CaptionOracle.streamFields(output, "s")
        #expect(subtitles["codec_name"] == "mov_text")
        #expect(subtitles["tags_language"] == "por")
        // The muxer fills the gaps between captions with empty samples (a length of 0).
        let packets = try CaptionOracle.subtitlePackets(output).filter { $0.payload.count > 2 }
        #expect(packets.map(\.start) == [0.5, 2.0])
        #expect(packets.map(\.duration) == [1.0, 0.75])
        #expect(packets.first?.text == "Hello there")
        // The override blocks, the tag and the `\N` are text; only the real line break breaks the line. Word joiners
        // (invisible) keep FFmpeg's encoder from reading `{\` and `\N` as commands.
        let shown = packets.last?.text.replacingOccurrences(of: "\u{2060}", with: "")
        #expect(shown == "{\\an8}{\\pos(0,0)} <b>x</b> & \\N two\nlines")
        // ffmpeg reads the track back to SubRip with the same times.
        let srt = try runTool(["ffmpeg", "-nostdin", "-v", "error", "-i", output, "-map", "0:s", "-f", "srt", "-"])
        #expect(srt.output.contains("00:00:00,500 --> 00:00:01,500\nHello there\n"))
        #expect(srt.output.contains("00:00:02,000 --> 00:00:02,750\n"))

        // Picture and sound copied, not re-encoded; the chapters kept; moov first.
        #expect(try CaptionOracle.packetDigests(output, "v") == CaptionOracle.packetDigests(film, "v"))
        #expect(try CaptionOracle.packetDigests(output, "a") == CaptionOracle.packetDigests(film, "a"))
        let chapters = try CaptionOracle.chapters(output)
        #expect(chapters.map(\.0) == ["frame_01.png", "frame_02.png"])
        #expect(chapters.map(\.1) == [0, 1.5])
        #expect(try Oracle.moovFirst(output))
        #expect(try Oracle.decodeErrors(output).isEmpty)
    }

    @Test func aSoftTrackInWebMIsWebVTTWithItsMarkupEscaped() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("film.webm")
        try CaptionOracle.film(film, webm: true)
        let output = folder.file("captioned.webm")
        _ = try FilmCaptions.addTrack(Self.captions, language: "ger", film: film, output: output)

        let subtitles = try CaptionOracle.streamFields(output, "s")
        #expect(subtitles["codec_name"] == "webvtt")
        #expect(subtitles["tags_language"] == "ger")
        // The ffmpeg program's WebM starts its picture 7 ms in (FFmpeg 5.1 moves it by Opus' pre-skip); the stage
        // keeps it there and places the cues against it, to the millisecond.
        let pictureStart = Double(try CaptionOracle.streamFields(output, "v")["start_time"] ?? "") ?? -1
        let filmPicture = Double(try CaptionOracle.streamFields(film, "v")["start_time"] ?? "") ?? -1
        #expect(abs(pictureStart - filmPicture) <= 0.001, "the picture stays where it was")
        let packets = try CaptionOracle.subtitlePackets(output)
        let againstPicture = packets.map { $0.start - pictureStart }
        #expect(againstPicture.count == 2)
        #expect(zip(againstPicture, [0.5, 2.0]).allSatisfy { abs($0 - $1) <= 0.001 }, "\(againstPicture)")
        #expect(packets.map(\.duration) == [1.0, 0.75])
        #expect(packets.first?.text == "Hello there")
        let escaped = packets.last?.text.replacingOccurrences(of: "\u{2060}", with: "")
        #expect(escaped == "{\\an8}{\\pos(0,0)} &lt;b&gt;x&lt;/b&gt; &amp; \\N two\nlines")
        // Read back as WebVTT by ffmpeg: the cue times, and the payload a WebVTT reader decodes to the caption.
        let vtt = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-i", output, "-map", "0:s", "-c", "copy", "-f", "webvtt", "-",
        ])
        #expect(vtt.output.contains(" --> 00:01.5"), "\(vtt.output)")
        #expect(vtt.output.contains("\nHello there\n\n"), "\(vtt.output)")
        #expect(vtt.output.contains("&lt;b&gt;x&lt;/b&gt; &amp;"), "\(vtt.output)")
        let decoded = escaped.map { WebVTTParser.plainText(Substring($0)) }
        #expect(decoded == "{\\an8}{\\pos(0,0)} <b>x</b> & \\N two\nlines")
        #expect(try CaptionOracle.packetDigests(output, "v") == CaptionOracle.packetDigests(film, "v"))
        #expect(try CaptionOracle.packetDigests(output, "a") == CaptionOracle.packetDigests(film, "a"))
    }

    @Test func aSecondLanguageIsASecondTrackBesideTheFirst() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("film.mp4")
        try CaptionOracle.film(film)
        let english = folder.file("english.mp4")
        let both = folder.file("both.mp4")
        _ = try FilmCaptions.addTrack(
            [Caption(start: 0, end: 1000, text: "Hello")], language: "eng", film: film, output: english)
        _ = try FilmCaptions.addTrack(
            [Caption(start: 0, end: 1000, text: "Bonjour")], language: "fra", film: english, output: both)
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "s", "-show_entries", "stream=codec_name:stream_tags=language",
            "-of", "csv=p=0", both,
        ])
        #expect(result.output.split(separator: "\n") == ["mov_text,eng", "mov_text,fra"])
        let french = try runTool(["ffmpeg", "-nostdin", "-v", "error", "-i", both, "-map", "0:s:1", "-f", "srt", "-"])
        #expect(french.output.contains("00:00:00,000 --> 00:00:01,000\nBonjour\n"))
        #expect(try CaptionOracle.packetDigests(both, "v") == CaptionOracle.packetDigests(film, "v"))
    }

    @Test func captionsPastTheFilmsEndAreCutOrLeftOut() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("film.mp4")
        try CaptionOracle.film(film, seconds: 2)
        let output = folder.file("captioned.mp4")
        let report = try FilmCaptions.addTrack(
            [
                Caption(start: 1000, end: 5000, text: "runs past the end"),
                Caption(start: 3000, end: 4000, text: "after the end"),
            ], language: "und", film: film, output: output)
        #expect(report == CaptionReport(written: 1, cut: 1, leftOut: 1))
        let packets = try CaptionOracle.subtitlePackets(output).filter { $0.payload.count > 2 }
        #expect(packets.count == 1)
        #expect(packets.first?.start == 1.0)
        #expect(abs((packets.first?.duration ?? 0) - 1.0) < 0.05)
    }

    /// The mean PSNR of a band over the frames shown in `seconds` (24 fps).
    static func bandPSNR(
        _ input: [[UInt8]], _ output: [[UInt8]], rows: Range<Int>, seconds: ClosedRange<Double>
    ) -> [Double] {
        zip(input, output).enumerated().filter { seconds.contains((Double($0.offset) + 0.5) / 24) }.map {
            CaptionOracle.psnr($0.element.0, $0.element.1, width: 320, rows: rows)
        }
    }

    func burned(position: CaptionStyle.Position, text: String) throws -> (input: [[UInt8]], output: [[UInt8]]) {
        let folder = try TemporaryFolder()
        let film = folder.file("film.mp4")
        try CaptionOracle.film(film, chapters: [("frame_01.png", 0, 3)])
        let output = folder.file("burned.mp4")
        let report = try FilmCaptions.burn(
            [Caption(start: 1000, end: 2000, text: text)], style: CaptionStyle(size: 28, position: position),
            film: film, output: output)
        #expect(report.written == 1)
        #expect(try CaptionOracle.streamFields(output, "v")["codec_name"] == "h264")
        #expect(try CaptionOracle.streamFields(output, "v")["width"] == "320")
        #expect(try CaptionOracle.packetDigests(output, "a") == CaptionOracle.packetDigests(film, "a"))
        #expect(try CaptionOracle.chapters(output).map(\.0) == ["frame_01.png"])
        #expect(try Oracle.decodeErrors(output).isEmpty)
        let input = try CaptionOracle.lumaFrames(film, width: 320, height: 240)
        let burned = try CaptionOracle.lumaFrames(output, width: 320, height: 240)
        #expect(input.count == 72)
        #expect(burned.count == input.count)
        return (input, burned)
    }

    @Test func burnedCaptionsChangeTheirBandWhileShownAndNothingElse() throws {
        let (input, output) = try burned(position: .bottom, text: "Hello there")
        let top = 0..<120
        let bottom = 180..<240
        // Outside the caption band the picture is the film's, within encoder noise, in every frame.
        #expect(Self.bandPSNR(input, output, rows: top, seconds: 0...3).allSatisfy { $0 > 35 })
        // In the band: the film's while no caption is shown, text while it is.
        #expect(Self.bandPSNR(input, output, rows: bottom, seconds: 0...0.95).allSatisfy { $0 > 35 })
        #expect(Self.bandPSNR(input, output, rows: bottom, seconds: 1.05...1.95).allSatisfy { $0 < 25 })
        #expect(Self.bandPSNR(input, output, rows: bottom, seconds: 2.05...3).allSatisfy { $0 > 35 })
    }

    @Test func burnedCaptionsAtTheTopLeaveTheBottomAlone() throws {
        let (input, output) = try burned(position: .top, text: "Hello there")
        #expect(Self.bandPSNR(input, output, rows: 0..<60, seconds: 1.05...1.95).allSatisfy { $0 < 25 })
        #expect(Self.bandPSNR(input, output, rows: 120..<240, seconds: 0...3).allSatisfy { $0 > 35 })
    }

    @Test func overrideTagsInABurnedCaptionAreDrawnAsTextNotObeyed() throws {
        // Obeyed, `{\an8}` would move the caption to the top and `{\pos(0,0)}` to the corner: it stays at the bottom.
        let (input, output) = try burned(position: .bottom, text: "{\\an8}{\\pos(0,0)}Hi")
        #expect(Self.bandPSNR(input, output, rows: 0..<120, seconds: 0...3).allSatisfy { $0 > 35 })
        #expect(Self.bandPSNR(input, output, rows: 180..<240, seconds: 1.05...1.95).allSatisfy { $0 < 25 })
    }
}
