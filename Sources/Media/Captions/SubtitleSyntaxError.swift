/// A subtitle file that cannot be read, at its line and column: `captions/en.srt:12:14: ...`.
public struct SubtitleSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the manifest names it.
    public let file: String
    /// 1-based line.
    public let line: Int
    /// 1-based column, in characters.
    public let column: Int
    /// What is wrong and what to write instead, as a sentence.
    public let message: String
    /// The file's other malformed cues, after this one, in file order.
    public var more: [SubtitleSyntaxError] = []

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// Problems listed in one description, at most; the rest are counted.
    static let listed = 20

    /// `file:line:column: message`, one line per malformed cue.
    public var description: String {
        let all = [self] + more
        var text = all.prefix(Self.listed).map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
            .joined(separator: "\n")
        if all.count > Self.listed { text += "\n(and \(all.count - Self.listed) more malformed cues)" }
        return text
    }

    /// Throws the first of `problems` with the others in `more`; returns when there are none.
    static func throwing(_ problems: [SubtitleSyntaxError]) throws(SubtitleSyntaxError) {
        guard var first = problems.first else { return }
        first.more = Array(problems.dropFirst())
        throw first
    }
}
