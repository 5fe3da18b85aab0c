/// A cue's timing line, `START --> END` (and, in WebVTT, settings after it), read the same way for both formats.
struct CueTiming {
    let start: Int64
    let end: Int64

    /// Whether `line` is meant as a timing line (it holds the arrow).
    static func isTiming(_ line: SubtitleLines.Line) -> Bool { arrow(in: line.text) != nil }

    /// Where `-->` starts in `text`, searched on its bytes.
    static func arrow(in text: Substring) -> Substring.Index? {
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x2D, bytes[index...].starts(with: [0x2D, 0x2D, 0x3E]) { return index }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// Reads `line`; every problem names the column of the part that is wrong.
    init(_ line: SubtitleLines.Line, style: CaptionTimestamp.Style, in lines: SubtitleLines) throws(SubtitleSyntaxError)
    {
        let text = line.text
        guard let arrowStart = Self.arrow(in: text) else {
            throw lines.error(
                "expected a timing line such as `\(style.example) --> \(style.example)`, found "
                    + SubtitleLines.quoted(text), line: line)
        }
        let arrow = arrowStart..<text.utf8.index(arrowStart, offsetBy: 3)
        let before = text[..<arrow.lowerBound]
        let after = text[arrow.upperBound...]
        if style == .webVTT, !(before.last?.isWhitespace ?? false) || !(after.first?.isWhitespace ?? false) {
            throw lines.error(
                "WebVTT needs a space or tab on each side of `-->`", line: line,
                column: SubtitleLines.column(of: arrow.lowerBound, in: line))
        }
        let startText = before.drop { $0 == " " || $0 == "\t" }
        let startToken = startText.prefix { $0 != " " && $0 != "\t" }
        guard !startToken.isEmpty else {
            throw lines.error("the cue has no start time before `-->`", line: line)
        }
        if startToken.endIndex != before.endIndex,
            !before[startToken.endIndex...].allSatisfy({ $0 == " " || $0 == "\t" })
        {
            throw lines.error(
                "expected `-->` after the start time", line: line,
                column: SubtitleLines.column(of: startToken.endIndex, in: line))
        }
        let endText = after.drop { $0 == " " || $0 == "\t" }
        let endToken = endText.prefix { $0 != " " && $0 != "\t" }
        guard !endToken.isEmpty else {
            throw lines.error(
                "the cue has no end time after `-->`", line: line,
                column: SubtitleLines.column(of: arrow.upperBound, in: line))
        }
        let start = try Self.time(startToken, style: style, line: line, in: lines, what: "start")
        let end = try Self.time(endToken, style: style, line: line, in: lines, what: "end")
        guard end > start else {
            throw lines.error(
                "the cue ends (\(endToken)) \(end == start ? "when" : "before") it starts (\(startToken)); "
                    + "a cue must last some time", line: line,
                column: SubtitleLines.column(of: endToken.startIndex, in: line))
        }
        self.start = start
        self.end = end
    }

    private static func time(
        _ token: Substring, style: CaptionTimestamp.Style, line: SubtitleLines.Line, in lines: SubtitleLines,
        what: String
    ) throws(SubtitleSyntaxError) -> Int64 {
        switch CaptionTimestamp.parse(token, style: style) {
        case .success(let milliseconds): return milliseconds
        case .failure(let problem):
            throw lines.error(
                "the \(what) time \(SubtitleLines.quoted(token)) \(problem.reason)", line: line,
                column: SubtitleLines.column(of: token.startIndex, in: line))
        }
    }
}
