import Foundation
import Testing

@testable import Media

/// SubRip and WebVTT read without I/O: the captions each file holds, and every malformed cue named at its line and
/// column.
@Suite struct SubtitleParsingTests {
    func srt(_ text: String) throws(SubtitleSyntaxError) -> [Caption] {
        try SubRipParser.parse(Array(text.utf8), file: "en.srt")
    }

    func vtt(_ text: String) throws(SubtitleSyntaxError) -> [Caption] {
        try WebVTTParser.parse(Array(text.utf8), file: "en.vtt")
    }

    /// The error reading `text` as SubRip, or nil.
    func srtError(_ text: String) -> SubtitleSyntaxError? {
        do {
            _ = try srt(text)
            return nil
        } catch {
            return error
        }
    }

    /// The error reading `text` as WebVTT, or nil.
    func vttError(_ text: String) -> SubtitleSyntaxError? {
        do {
            _ = try vtt(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func subRipCuesWithTheirTimesAndLines() throws {
        let captions = try srt(
            "1\n00:00:01,000 --> 00:00:04,250\nHello\nsecond line\n\n2\n01:02:03,004 --> 01:02:05,000\nBye\n")
        #expect(
            captions == [
                Caption(start: 1000, end: 4250, text: "Hello\nsecond line"),
                Caption(start: 3_723_004, end: 3_725_000, text: "Bye"),
            ])
    }

    @Test func subRipAsPeopleHaveIt() throws {
        // A byte order mark, Windows line endings, extra blank lines, a full stop for the comma, a missing cue
        // number, coordinates after the timing, and formatting tags.
        let text =
            "\u{FEFF}1\r\n00:00:01,000 --> 00:00:02,000 X1:10 X2:20 Y1:5 Y2:9\r\n<i>Hi</i> <font color=\"#fff\">there</font>\r\n\r\n\r\n"
            + "00:00:03.500 --> 00:00:04.000\r\n<b>2 < 3</b> {\\an8}\r\n"
        let captions = try srt(text)
        #expect(
            captions == [
                Caption(start: 1000, end: 2000, text: "Hi there"),
                Caption(start: 3500, end: 4000, text: "2 < 3 {\\an8}"),
            ])
    }

    @Test func subRipBadTimestampsAreNamedAtTheirColumn() {
        let minutes = srtError("1\n00:61:00,000 --> 00:62:00,000\nHi\n")
        #expect(minutes == SubtitleSyntaxError(file: "en.srt", line: 2, column: 1, message: minutes?.message ?? ""))
        #expect(minutes?.message.contains("minutes of 60 or more") == true)

        let end = srtError("1\n00:00:01,000 --> 00:00:0x,000\nHi\n")
        #expect(end?.line == 2)
        #expect(end?.column == 18)
        #expect(end?.description.hasPrefix("en.srt:2:18: the end time \"00:00:0x,000\"") == true)

        let backwards = srtError("1\n00:00:05,000 --> 00:00:04,000\nHi\n")
        #expect(backwards?.column == 18)
        #expect(backwards?.message.contains("before it starts") == true)

        let noMilliseconds = srtError("\n\n7\n00:00:01 --> 00:00:02,000\nHi\n")
        #expect(noMilliseconds?.line == 4)
        #expect(noMilliseconds?.message.contains("has no milliseconds") == true)

        let arrowless = srtError("1\n00:00:01,000 - 00:00:02,000\nHi\n")
        #expect(arrowless?.line == 2)
        #expect(arrowless?.message.contains("no timing line") == true)
    }

    @Test func subRipCueWithoutTextOrNumberIsAnError() {
        let empty = srtError("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nHi\n")
        #expect(empty?.line == 2)
        #expect(empty?.message.contains("has no text") == true)

        let stray = srtError("1\n00:00:01,000 --> 00:00:02,000\nHi\n\nnot a number\n")
        #expect(stray?.line == 5)
        #expect(stray?.column == 1)
        #expect(stray?.message.contains("expected a cue number or a timing line") == true)
    }

    /// A file with several malformed cues names every one, at its line and column, the first first: one fix per run
    /// would make a long file take as many runs as it has mistakes.
    @Test func everyMalformedCueIsNamedNotOnlyTheFirst() {
        let text = [
            "1\n00:00:01,000 --> 00:00:02,000\nGood\n",
            "2\n00:00:03,000 --> 00:00:0x,000\nBad end\n",
            "3\n00:00:05,000 --> 00:00:06,000\nGood\n",
            "four\n00:00:07,000 --> 00:00:08,000\nBad number\n",
            "5\n00:00:10,000 --> 00:00:09,000\nBackwards\n",
        ].joined(separator: "\n")
        let problem = srtError(text)
        #expect(problem?.line == 6 && problem?.column == 18, "\(String(describing: problem))")
        #expect(problem?.more.map { [$0.line, $0.column] } == [[13, 1], [18, 18]])
        let described = problem?.description.split(separator: "\n") ?? []
        #expect(described.count == 3, "\(described)")
        #expect(described.last?.hasPrefix("en.srt:18:18: ") == true)

        let vtt = vttError(
            "WEBVTT\n\n00:01.000 --> 00:02.000\nGood\n\n00:03,000 --> 00:04.000\nBad\n\n"
                + "NOTE fine\n\n00:05.000 --> 00:06.000\nGood\n\nintro\nno timing\n")
        #expect(vtt?.line == 6)
        #expect(vtt?.more.map(\.line) == [15])
    }

    @Test func manyMalformedCuesAreListedUpToTwentyAndCounted() {
        let text = (1...25).map { "\($0)\n00:00:0\($0 % 10),000 --> 00:00:0x,000\nBad\n" }.joined(separator: "\n")
        let problem = srtError(text)
        #expect(problem?.more.count == 24)
        let described = problem?.description.split(separator: "\n") ?? []
        #expect(described.count == 21)
        #expect(described.last == "(and 5 more malformed cues)")
    }

    @Test func aTenMegabyteOneLineFileIsRefusedAtItsFirstLineWithoutEchoingIt() {
        let line = String(repeating: "A", count: 10 << 20)
        let problem = srtError(line)
        #expect(problem?.line == 1)
        #expect(problem?.column == 1)
        // The message quotes the start of the line, not ten megabytes of it.
        #expect((problem?.description.count ?? .max) < 300)

        // Ten megabytes of digits are not a cue number.
        let digits = srtError(String(repeating: "9", count: 10 << 20))
        #expect(digits?.line == 1)
        #expect(digits?.message.contains("expected a cue number or a timing line") == true)
        #expect((digits?.description.count ?? .max) < 300)

        // The same line after a good timing line is a caption too long for any player: refused, not shown.
        let long = srtError("1\n00:00:01,000 --> 00:00:02,000\n" + line)
        #expect(long?.line == 2)
        #expect(long?.message.contains("at most \(Caption.maximumTextBytes)") == true)
    }

    @Test func aFileInAnotherEncodingIsNamedAtItsFirstForeignByte() {
        // "Café" in Windows-1252: é is 0xE9, not UTF-8.
        let bytes = Array("1\n00:00:01,000 --> 00:00:02,000\nCaf".utf8) + [0xE9] + Array("\n".utf8)
        #expect(throws: SubtitleSyntaxError.self) { try SubRipParser.parse(bytes, file: "old.srt") }
        do {
            _ = try SubRipParser.parse(bytes, file: "old.srt")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 4)
            #expect(error.message.contains("0xE9"))
        }
    }

    @Test func webVTTCuesWithIdentifiersSettingsNotesAndMarkup() throws {
        let text = """
            WEBVTT - the film's words
            Kind: captions

            NOTE a comment
            that runs on

            STYLE
            ::cue { color: yellow }

            intro
            00:01.000 --> 00:04.000 align:start position:10%
            <v Ann>Hello</v> &amp; <c.loud>welcome</c> &lt;3

            01:00:00.500 --> 01:00:02.000
            Line one
            <i>line</i> two &#x2014; &gt;
            """
        let captions = try vtt(text)
        #expect(
            captions == [
                Caption(start: 1000, end: 4000, text: "Hello & welcome <3"),
                Caption(start: 3_600_500, end: 3_602_000, text: "Line one\nline two \u{2014} >"),
            ])
    }

    @Test func webVTTMalformedCues() {
        let header = vttError("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n")
        #expect(header?.line == 1)
        #expect(header?.message.contains("starts with a line `WEBVTT`") == true)

        let comma = vttError("WEBVTT\n\n00:01,000 --> 00:02.000\nHi\n")
        #expect(comma?.line == 3)
        #expect(comma?.column == 1)
        #expect(comma?.message.contains("no milliseconds") == true)

        let hours = vttError("WEBVTT\n\n1:00:01.000 --> 1:00:02.000\nHi\n")
        #expect(hours?.message.contains("two digits of hours") == true)

        let spacing = vttError("WEBVTT\n\n00:01.000-->00:02.000\nHi\n")
        #expect(spacing?.column == 10)

        let missingBlank = vttError("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:03.000 --> 00:04.000\nThere\n")
        #expect(missingBlank?.line == 5)
        #expect(missingBlank?.message.contains("blank line missing") == true)

        let identifierOnly = vttError("WEBVTT\n\nintro\nHello\n")
        #expect(identifierOnly?.line == 4)
        #expect(identifierOnly?.message.contains("after the cue identifier") == true)
    }

    @Test func overlappingCaptionsAreLaidOneAfterAnother() {
        let captions = [
            Caption(start: 0, end: 3000, text: "A"),
            Caption(start: 1000, end: 2000, text: "B"),
            Caption(start: 5000, end: 6000, text: "C"),
        ]
        #expect(
            Caption.sequential(captions) == [
                Caption(start: 0, end: 1000, text: "A"),
                Caption(start: 1000, end: 2000, text: "A\nB"),
                Caption(start: 2000, end: 3000, text: "A"),
                Caption(start: 5000, end: 6000, text: "C"),
            ])
    }
}
