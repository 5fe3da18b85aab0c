/// How a generate stage names each clip it stores under `to`: a file name with the placeholders `{frame}` (the frame's
/// file name without its extension) and `{key}` (the first 8 hex digits of the clip's content key), written
/// `clipName: "{frame}_video_clip.mp4"`. The default, `{frame}-{key}.mp4`, gives a changed frame a new clip beside
/// the old one; a name without `{key}` puts the new clip over the old.
public struct ClipName: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a pattern.
    enum Piece: Sendable, Hashable {
        case literal(String)
        case frame
        case key
    }

    /// The pattern as written.
    public let pattern: String
    let pieces: [Piece]
    /// Where the manifest writes it, for errors found once the frames are known (nil for the default).
    public var position: SourcePosition?

    /// `{frame}-{key}.mp4`.
    public static let standard = ClipName(
        pattern: "{frame}-{key}.mp4", pieces: [.frame, .literal("-"), .key, .literal(".mp4")])
    /// The longest pattern taken, in bytes (S3 keys are at most 1024 bytes with the prefix and the frame's name).
    public static let maximumLength = 120

    private init(pattern: String, pieces: [Piece]) {
        self.pattern = pattern
        self.pieces = pieces
    }

    /// Parses `text`, or says what is wrong with it as the end of a sentence ("must hold {frame}; ...").
    public static func parse(_ text: String) -> Result<ClipName, ClipNameProblem> {
        guard text.utf8.count <= maximumLength else { return .failure(.tooLong(text.utf8.count)) }
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let character = rest.first {
            if character == "{" {
                guard let close = rest.firstIndex(of: "}") else { return .failure(.unclosedBrace) }
                let name = String(rest[rest.index(after: rest.startIndex)..<close])
                switch name {
                case "frame": pieces.append(contentsOf: [.literal(literal), .frame])
                case "key": pieces.append(contentsOf: [.literal(literal), .key])
                default: return .failure(.unknownPlaceholder(name))
                }
                literal = ""
                rest = rest[rest.index(after: close)...]
                continue
            }
            // Letters, digits, '_', '.', '-': a clip's name is also an S3 key and a file name on every system.
            guard character.isASCII, character.isLetter || character.isNumber || "_.-".contains(character) else {
                return .failure(.character(character))
            }
            literal.append(character)
            rest = rest.dropFirst()
        }
        pieces.append(.literal(literal))
        pieces.removeAll { $0 == .literal("") }
        guard pieces.contains(.frame) else { return .failure(.noFrame) }
        guard text.hasSuffix(".mp4") else { return .failure(.notMP4) }
        guard !text.hasPrefix(".") else { return .failure(.hidden) }
        return .success(ClipName(pattern: text, pieces: pieces))
    }

    /// Whether the name holds the clip's key, so that clips of changed frames never share a name.
    public var holdsKey: Bool { pieces.contains(.key) }

    /// The file name of the clip of the frame whose name without extension is `frame`, with key digits `key`.
    public func fileName(frame: String, key: String) -> String {
        pieces.map { piece in
            switch piece {
            case .literal(let text): return text
            case .frame: return frame
            case .key: return key
            }
        }.joined()
    }

    public var description: String { pattern }
}

/// What is wrong with a `clipName`, as the end of a sentence that begins with the field.
public enum ClipNameProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLong(Int)
    case unclosedBrace
    case unknownPlaceholder(String)
    case character(Character)
    case noFrame
    case notMP4
    case hidden

    public var description: String {
        switch self {
        case .tooLong(let count):
            return "is \(count) bytes long; use at most \(ClipName.maximumLength)"
        case .unclosedBrace:
            return "opens a placeholder with `{` and never closes it; write {frame} or {key}"
        case .unknownPlaceholder(let name):
            return "has the placeholder {\(InertText.escaped(name))}; the placeholders are {frame} (the frame's name "
                + "without its extension) and {key} (the clip's key)"
        case .character(let character):
            return "holds \"\(InertText.escaped(String(character)))\"; a clip name is letters, digits, '_', '.', '-' "
                + "and the placeholders {frame} and {key} (folders belong in `to`)"
        case .noFrame:
            return "must hold {frame}, so that each frame's clip has its own name (as in \"{frame}_video_clip.mp4\")"
        case .notMP4:
            return "must end in .mp4: clips are MP4 files"
        case .hidden:
            return "must not start with '.'"
        }
    }
}
