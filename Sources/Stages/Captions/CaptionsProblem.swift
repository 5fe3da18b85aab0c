import Manifest
import Media

/// Why a captions stage cannot make its film, each as a sentence naming the thing and the fix.
public enum CaptionsProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The subtitle file breaks its format (at a line and column of it).
    case subtitles(SubtitleSyntaxError)
    /// The subtitle file is larger than any subtitle file of a film.
    case subtitleFileTooLarge(file: String, bytes: Int)
    /// The subtitle file holds no cue.
    case noCues(file: String)
    /// The film has no chapters saying where its clips are, so `lines:` cannot be placed.
    case noClipSpans(stage: String)
    /// Lines whose glob matches no clip of the film.
    case linesMatchNoClip(stage: String, lines: [CaptionLine], frames: [String])
    /// The font file given for burning is not a TrueType or OpenType font.
    case notAFont(file: String)

    /// The largest subtitle file read: a feature film's SubRip is about 100 KB.
    public static let maximumSubtitleBytes = 16 << 20

    public var description: String {
        switch self {
        case .subtitles(let error):
            return InertText.escaped(error.description)
        case .subtitleFileTooLarge(let file, let bytes):
            return "\(InertText.escaped(file)) is \(bytes) bytes, more than the \(Self.maximumSubtitleBytes >> 20) MiB "
                + "a subtitle file may have; is it the right file?"
        case .noCues(let file):
            return "\(InertText.escaped(file)) holds no captions; write at least one cue, or remove the stage"
        case .noClipSpans(let stage):
            return "stage `\(stage)` places `lines` at the clips' spans, but its film has no chapters naming them "
                + "(a film merged by an older runner): run apply again so the merge makes the film anew, or use `from`"
        case .linesMatchNoClip(let stage, let lines, let frames):
            let named = lines.map { "\($0.position): `match: \(InertText.escaped($0.match))`" }.joined(separator: "; ")
            let shown = frames.prefix(5).map(InertText.escaped).joined(separator: ", ")
            return "stage `\(stage)`: \(lines.count == 1 ? "a line matches" : "\(lines.count) lines match") no clip "
                + "of the film (\(named)); its clips come from \(shown)\(frames.count > 5 ? ", ..." : ""): "
                + "fix the glob, or remove the line"
        case .notAFont(let file):
            return "\(InertText.escaped(file)) is not a TrueType or OpenType font (no family name in it); give a "
                + ".ttf, .otf or .ttc file, or a font family name"
        }
    }
}
