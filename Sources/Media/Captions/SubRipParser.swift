/// Reads SubRip (`.srt`) files: numbered cues, each a timing line `00:00:01,000 --> 00:00:04,000` and its text,
/// separated by blank lines.
///
/// What players accept is taken: a byte order mark, any line ending, a full stop for the comma, a missing cue number,
/// extra blank lines, coordinates after the timing. The formatting tags SubRip files carry (`<i>`, `<b>`, `<u>`,
/// `<font ...>` and their ends) are removed; every other character is text, shown as written (`{\an8}` too). A cue
/// the runner cannot read exactly is an error at its line and column, never skipped; every such cue is reported.
public enum SubRipParser {
    /// The captions of `bytes`, in file order; `file` names the file in errors. Every malformed cue is found: the
    /// error thrown is the first, with the others in `more`.
    public static func parse(_ bytes: [UInt8], file: String) throws(SubtitleSyntaxError) -> [Caption] {
        let lines = try SubtitleLines(bytes, file: file)
        var captions: [Caption] = []
        var problems: [SubtitleSyntaxError] = []
        var index = 0
        let all = lines.lines
        while index < all.count {
            if all[index].isBlank {
                index += 1
                continue
            }
            do {
                captions.append(try cue(at: &index, in: lines))
            } catch {
                problems.append(error)
                // On to the next cue: past the rest of this one.
                while index < all.count, !all[index].isBlank { index += 1 }
            }
        }
        try SubtitleSyntaxError.throwing(problems)
        return captions
    }

    /// The cue that starts at `index` (not blank), with `index` moved past its last line.
    private static func cue(at index: inout Int, in lines: SubtitleLines) throws(SubtitleSyntaxError) -> Caption {
        let all = lines.lines
        let line = all[index]
        var timingLine = line
        if !CueTiming.isTiming(line) {
            let number = line.text.trimmingSpaces
            // A cue number is a few digits: a line of millions of them is not one.
            guard !number.isEmpty, number.prefix(11).count <= 10, number.allSatisfy(\.isASCIIDigit) else {
                throw lines.error(
                    "expected a cue number or a timing line such as `00:00:01,000 --> 00:00:04,000`, found "
                        + SubtitleLines.quoted(line.text), line: line)
            }
            guard index + 1 < all.count, CueTiming.isTiming(all[index + 1]) else {
                let next = index + 1 < all.count ? all[index + 1] : line
                throw lines.error(
                    "cue \(number) has no timing line after its number; write "
                        + "`00:00:01,000 --> 00:00:04,000` on the line after it", line: next)
            }
            index += 1
            timingLine = all[index]
        }
        let timing = try CueTiming(timingLine, style: .subRip, in: lines)
        index += 1
        let first = index
        while index < all.count, !all[index].isBlank { index += 1 }
        try CaptionTextCheck.checkLength(of: all[first..<index], timing: timingLine, in: lines)
        let text = all[first..<index].map(\.text)
        let caption = Caption(start: timing.start, end: timing.end, text: stripTags(text.joined(separator: "\n")))
        try CaptionTextCheck.check(caption, timing: timingLine, in: lines)
        return caption
    }

    /// The text without SubRip's formatting tags.
    static func stripTags(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            let tail = rest[open...]
            if let close = tail.firstIndex(of: ">"), isFormattingTag(tail[tail.index(after: open)..<close]) {
                rest = tail[tail.index(after: close)...]
            } else {
                result.append("<")
                rest = tail.dropFirst()
            }
        }
        return result + rest
    }

    /// `b`, `/i`, `font color="#fff"`, `/font`: the tags SubRip files use.
    private static func isFormattingTag(_ inside: Substring) -> Bool {
        let name = inside.drop { $0 == "/" }.prefix { $0.isLetter }.lowercased()
        let rest = inside.drop { $0 == "/" }.dropFirst(name.count)
        switch name {
        case "b", "i", "u", "s": return rest.isEmpty
        case "font": return rest.isEmpty || rest.first == " "
        default: return false
        }
    }
}

/// Checks shared by both formats on a cue's text.
enum CaptionTextCheck {
    /// Throws, at the cue's timing line, for a cue without text.
    static func check(_ caption: Caption, timing: SubtitleLines.Line, in lines: SubtitleLines)
        throws(SubtitleSyntaxError)
    {
        if caption.text.allSatisfy(\.isWhitespace) {
            throw lines.error(
                "the cue has no text; write its text on the lines after the timing, or remove the cue", line: timing)
        }
    }

    /// Throws, at the cue's timing line, for text lines of more than `Caption.maximumTextBytes` in all (before any
    /// tag is removed): checked before the text is read, so a hostile file costs one pass over its bytes.
    static func checkLength(
        of text: ArraySlice<SubtitleLines.Line>, timing: SubtitleLines.Line, in lines: SubtitleLines
    ) throws(SubtitleSyntaxError) {
        let bytes = text.reduce(0) { $0 + $1.text.utf8.count + 1 }
        if bytes > Caption.maximumTextBytes {
            throw lines.error(
                "the cue's text is \(bytes) bytes long; a caption may hold at most \(Caption.maximumTextBytes) "
                    + "(is a blank line missing after it?)", line: timing)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
