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

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
