/// Caption text made safe for each format that would read part of it as markup, so that what a caption says is shown
/// as written and can never style, move or end the line it is in: `{\an8}` stays those six characters, `<b>` those
/// three.
///
/// U+2060 WORD JOINER (invisible, and it never breaks a line) is put between the characters of a sequence that a
/// format reads as a command and has no escape for, such as `\N` in ASS.
enum CaptionMarkup {
    /// WORD JOINER: separates `\` from `N` or `{` from `\` without showing anything.
    static let joiner: Character = "\u{2060}"

    /// Text for an ASS `Dialogue` line as libass renders it (burned captions): `{` and `}` escaped as `\{` and `\}`,
    /// a `\` that would start `\N`, `\n`, `\h`, `\{` or `\}` kept apart from it, lines joined with `\N`, and other
    /// control characters shown as spaces.
    static func libass(_ text: String) -> String {
        rewrite(text) { character, next, result in
            switch character {
            case "\n": result += "\\N"
            case "{": result += "\\{"
            case "}": result += "\\}"
            case "\\":
                result.append("\\")
                if let next, "Nnh{}".contains(next) { result.append(joiner) }
            default: result.append(Self.isControl(character) ? " " : character)
            }
        }
    }

    /// Text for FFmpeg's subtitle encoders (mov_text, webvtt), which read their input as an ASS event through
    /// libavcodec's `ass_split`: that reads `{\` as the start of an override block and `\N` or `\n` as a line break,
    /// and has no escape for either. Lines are joined with `\N`.
    static func encoderEvent(_ text: String) -> String {
        rewrite(text) { character, next, result in
            switch character {
            case "\n": result += "\\N"
            case "{":
                result.append("{")
                if next == "\\" { result.append(joiner) }
            case "\\":
                result.append("\\")
                if next == "N" || next == "n" { result.append(joiner) }
            default: result.append(Self.isControl(character) ? " " : character)
            }
        }
    }

    /// Text as a WebVTT cue payload holds it: `&`, `<` and `>` as character references (so neither a tag nor `-->`
    /// can appear); a WebVTT reader decodes them back.
    static func webVTT(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `text` rewritten a character at a time, each seeing the one after it.
    private static func rewrite(_ text: String, _ each: (Character, Character?, inout String) -> Void) -> String {
        var result = ""
        var characters = text.makeIterator()
        var next = characters.next()
        while let character = next {
            next = characters.next()
            each(character, next, &result)
        }
        return result
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}
