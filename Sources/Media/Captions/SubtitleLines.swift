/// A subtitle file's text as numbered lines: UTF-8 checked, a byte order mark dropped, `\r\n`, `\r` and `\n` all
/// ending a line (files from Windows, old Macs and Unix alike).
struct SubtitleLines {
    /// One line without its ending, with its 1-based number.
    struct Line {
        let number: Int
        let text: Substring

        /// Whether it holds only spaces and tabs.
        var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }
    }

    let file: String
    let lines: [Line]

    /// The lines of `bytes`; throws, at the first byte that is not UTF-8, for a file in another encoding.
    init(_ bytes: [UInt8], file: String) throws(SubtitleSyntaxError) {
        self.file = file
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            let (line, column, byte) = Self.firstInvalidByte(body)
            throw SubtitleSyntaxError(
                file: file, line: line, column: column,
                message: "the file is not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)) here); "
                    + "save it as UTF-8")
        }
        lines = Self.split(Substring(text))
    }

    /// The lines of `text`, found on its UTF-8 bytes (linear, and quick even for a hostile 10 MB line).
    static func split(_ text: Substring) -> [Line] {
        var lines: [Line] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = bytes.index(after: index)
                continue
            }
            lines.append(Line(number: lines.count + 1, text: text[start..<index]))
            index = bytes.index(after: index)
            if byte == 0x0D, index < bytes.endIndex, bytes[index] == 0x0A { index = bytes.index(after: index) }
            start = index
        }
        lines.append(Line(number: lines.count + 1, text: text[start..<bytes.endIndex]))
        return lines
    }

    /// An error at `column` (1-based, in characters) of `line`.
    func error(_ message: String, line: Line, column: Int = 1) -> SubtitleSyntaxError {
        SubtitleSyntaxError(file: file, line: line.number, column: column, message: message)
    }

    /// The 1-based column of `index` in `line`.
    static func column(of index: Substring.Index, in line: Line) -> Int {
        line.text.distance(from: line.text.startIndex, to: index) + 1
    }

    /// `text` shortened for a message: a hostile one-line file is not echoed whole.
    static func quoted(_ text: Substring, limit: Int = 60) -> String {
        let shown = text.prefix(limit + 1).count > limit ? text.prefix(limit) + "…" : text
        let escaped = shown.unicodeScalars.map { scalar -> String in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return "\"\(escaped)\""
    }

    /// Where the first byte that breaks UTF-8 is: line, column (in characters before it, plus one) and the byte.
    private static func firstInvalidByte(_ bytes: [UInt8]) -> (Int, Int, UInt8) {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            let valid =
                length > 0 && index + length <= bytes.count
                && String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            guard valid else {
                let column = (String(validating: bytes[lineStart..<index], as: UTF8.self)?.count ?? 0) + 1
                return (line, column, byte)
            }
            if byte == 0x0A || (byte == 0x0D && bytes.dropFirst(index + 1).first != 0x0A) {
                line += 1
                lineStart = index + 1
            }
            index += length
        }
        return (line, 1, 0)
    }
}
