import Testing

@testable import Media

/// Caption text cannot become markup in any format it is written to.
@Suite struct CaptionMarkupTests {
    static let joiner = "\u{2060}"

    @Test func libassShowsBracesAndBackslashesAsWritten() {
        #expect(CaptionMarkup.libass("{\\an8}top?") == "\\{\\an8\\}top?")
        #expect(CaptionMarkup.libass("{\\pos(0,0)}x") == "\\{\\pos(0,0)\\}x")
        #expect(CaptionMarkup.libass("a\\Nb") == "a\\\(Self.joiner)Nb")
        #expect(CaptionMarkup.libass("two\nlines") == "two\\Nlines")
        #expect(CaptionMarkup.libass("tab\there\u{1B}[2J") == "tab here [2J")
        #expect(CaptionMarkup.libass("C:\\path") == "C:\\path")
    }

    @Test func encoderEventsCannotOpenAnOverrideBlockOrBreakALine() {
        #expect(CaptionMarkup.encoderEvent("{\\an8}Hi") == "{\(Self.joiner)\\an8}Hi")
        #expect(CaptionMarkup.encoderEvent("a\\nb\\Nc") == "a\\\(Self.joiner)nb\\\(Self.joiner)Nc")
        #expect(CaptionMarkup.encoderEvent("{plain} \\h") == "{plain} \\h")
        #expect(CaptionMarkup.encoderEvent("one\ntwo") == "one\\Ntwo")
    }

    @Test func webVTTPayloadsHoldNoTagsOrArrows() {
        #expect(CaptionMarkup.webVTT("<b>x</b> --> & y") == "&lt;b&gt;x&lt;/b&gt; --&gt; &amp; y")
        // What the parser reads back is the text written.
        let text = "<b>x</b> --> & y"
        #expect(WebVTTParser.plainText(Substring(CaptionMarkup.webVTT(text))) == text)
    }

    @Test func assTimesRoundToCentiseconds() {
        #expect(ASSScript.time(0) == "0:00:00.00")
        #expect(ASSScript.time(1234) == "0:00:01.23")
        #expect(ASSScript.time(1235) == "0:00:01.24")
        #expect(ASSScript.time(3_723_450) == "1:02:03.45")
    }

    @Test func theScriptPlacesCaptionsWhereTheStyleSays() {
        let top = ASSScript(width: 1280, height: 720, style: CaptionStyle(size: 48, position: .top, outline: 3))
        #expect(top.header.contains("PlayResX: 1280\nPlayResY: 720\n"))
        #expect(top.header.contains("Style: Default,DejaVu Sans,48,"))
        #expect(top.header.contains(",3.00,0,8,36,36,36,1\n"))
        let bottom = ASSScript(width: 640, height: 360, style: CaptionStyle())
        #expect(bottom.header.contains("Style: Default,DejaVu Sans,20,"))
        #expect(bottom.header.contains(",2.00,0,2,18,18,18,1\n"))
        let document = bottom.document([Caption(start: 500, end: 1500, text: "{\\an8}hi")])
        #expect(document.hasSuffix("Dialogue: 0,0:00:00.50,0:00:01.50,Default,,0,0,0,,\\{\\an8\\}hi\n"))
    }
}
