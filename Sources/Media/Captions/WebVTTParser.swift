/// Reads WebVTT (`.vtt`) files: the `WEBVTT` line, then blocks separated by blank lines: cues (an optional identifier,
/// a timing line `00:01.000 --> 00:04.000` with optional settings, and text), `NOTE` comments, `STYLE` and `REGION`.
///
/// Cue text is WebVTT's markup: its tags (`<i>`, `<c.loud>`, `<v Ann>`, `<00:00:02.000>`) are removed and its
/// character references (`&amp;`, `&lt;`, `&#x2014;`...) decoded, so a caption holds what a viewer reads. Cue settings
/// (position, alignment) are not kept: the stage places every caption itself. A cue that breaks the format is an
/// error at its line and column.
public enum WebVTTParser {
    /// The captions of `bytes`, in file order; `file` names the file in errors. Every malformed cue is found: the
    /// error thrown is the first, with the others in `more`.
    public static func parse(_ bytes: [UInt8], file: String) throws(SubtitleSyntaxError) -> [Caption] {
        let lines = try SubtitleLines(bytes, file: file)
        let all = lines.lines
        guard let first = all.first, first.text.hasPrefix("WEBVTT"),
            first.text.count == 6 || first.text.dropFirst(6).first == " " || first.text.dropFirst(6).first == "\t"
        else {
            throw SubtitleSyntaxError(
                file: file, line: 1, column: 1,
                message: "a WebVTT file starts with a line `WEBVTT`; found "
                    + SubtitleLines.quoted(all.first?.text ?? ""))
        }
        var index = 1
        // The header runs to the first blank line.
        while index < all.count, !all[index].isBlank { index += 1 }
        var captions: [Caption] = []
        var problems: [SubtitleSyntaxError] = []
        while index < all.count {
            if all[index].isBlank {
                index += 1
                continue
            }
            var block: [SubtitleLines.Line] = []
            while index < all.count, !all[index].isBlank {
                block.append(all[index])
                index += 1
            }
            let head = block[0].text
            if Self.startsBlock(head, "NOTE") || Self.startsBlock(head, "STYLE") || Self.startsBlock(head, "REGION") {
                continue
            }
            do {
                captions.append(try cue(block, in: lines))
            } catch {
                problems.append(error)
            }
        }
        try SubtitleSyntaxError.throwing(problems)
        return captions
    }

    /// The cue of `block` (its lines up to a blank one; not a NOTE, STYLE or REGION).
    private static func cue(_ block: [SubtitleLines.Line], in lines: SubtitleLines) throws(SubtitleSyntaxError)
        -> Caption
    {
        let timingAt = CueTiming.isTiming(block[0]) ? 0 : 1
        guard timingAt < block.count, CueTiming.isTiming(block[timingAt]) else {
            let line = timingAt < block.count ? block[timingAt] : block[0]
            throw lines.error(
                "expected a timing line such as `00:00:01.000 --> 00:00:04.000` "
                    + (timingAt == 1 ? "after the cue identifier " : "") + "or a NOTE, found "
                    + SubtitleLines.quoted(line.text), line: line)
        }
        let timing = try CueTiming(block[timingAt], style: .webVTT, in: lines)
        let textLines = block[(timingAt + 1)...]
        try CaptionTextCheck.checkLength(of: textLines, timing: block[timingAt], in: lines)
        if let stray = textLines.first(where: CueTiming.isTiming) {
            throw lines.error(
                "cue text may not hold `-->`; is a blank line missing before this cue?", line: stray,
                column: CueTiming.arrow(in: stray.text).map { SubtitleLines.column(of: $0, in: stray) } ?? 1)
        }
        let text = textLines.map { plainText($0.text) }.joined(separator: "\n")
        let caption = Caption(start: timing.start, end: timing.end, text: text)
        try CaptionTextCheck.check(caption, timing: block[timingAt], in: lines)
        return caption
    }

    /// Whether `line` is `word` alone or followed by a space or tab (`NOTE this is a comment`).
    private static func startsBlock(_ line: Substring, _ word: String) -> Bool {
        line.hasPrefix(word) && (line.count == word.count || [" ", "\t"].contains(line.dropFirst(word.count).first))
    }

    /// Cue text without tags, with character references decoded.
    static func plainText(_ markup: Substring) -> String {
        var result = ""
        var index = markup.startIndex
        while index < markup.endIndex {
            let character = markup[index]
            if character == "<" {
                // A tag runs to its `>` (or the end of the line).
                index = markup[index...].firstIndex(of: ">").map { markup.index(after: $0) } ?? markup.endIndex
            } else if character == "&", let (decoded, next) = reference(in: markup, at: index) {
                result += decoded
                index = next
            } else {
                result.append(character)
                index = markup.index(after: index)
            }
        }
        return result
    }

    /// The named references WebVTT defines that captions use, and numeric ones.
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "nbsp": "\u{A0}", "lrm": "\u{200E}", "rlm": "\u{200F}", "quot": "\"",
        "apos": "'",
    ]

    private static func reference(in text: Substring, at ampersand: Substring.Index) -> (String, Substring.Index)? {
        let body = text[text.index(after: ampersand)...].prefix(12)
        guard let semicolon = body.firstIndex(of: ";") else { return nil }
        let name = body[..<semicolon]
        let next = text.index(after: semicolon)
        if let value = named[name] { return (value, next) }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let hex = digits.first == "x" || digits.first == "X"
        guard let code = UInt32(hex ? digits.dropFirst() : digits, radix: hex ? 16 : 10),
            let scalar = Unicode.Scalar(code), code != 0
        else { return nil }
        return (String(Character(scalar)), next)
    }
}
