import Manifest
import Media

/// Where each voice line of a soundtrack starts: at the start of the first clip of the film (in film order) made from
/// a frame its glob matches. The film's chapters name the clips (title: the frame's file name) and give their spans.
enum VoicePlacement {
    /// The start of each line in seconds, in the lines' order, with warnings for globs that match several clips.
    /// Throws `SoundtrackError` when the film has no chapters, or a glob matches no clip.
    static func place(_ lines: [SoundtrackOptions.VoiceLine], in chapters: [FilmChapter], stage: String)
        throws(SoundtrackError) -> (starts: [Double], warnings: [String])
    {
        guard !chapters.isEmpty else { throw .noClipSpans(stage: stage) }
        var starts: [Double] = []
        var warnings: [String] = []
        for (index, line) in lines.enumerated() {
            let glob = Glob(line.match)
            let matching = chapters.filter { glob.matches($0.title) }
            guard let first = matching.first else {
                throw .unmatchedVoice(
                    stage: stage, index: index, match: line.match, position: line.position,
                    frames: chapters.map(\.title))
            }
            if matching.count > 1 {
                warnings.append(
                    "`voice[\(index)].match` \"\(InertText.escaped(line.match))\" matches \(matching.count) clips; "
                        + "the voice is placed at the first, \(InertText.escaped(first.title))")
            }
            starts.append(first.start)
        }
        return (starts, warnings)
    }
}

/// Why a soundtrack cannot be made, each a sentence naming the thing and the fix.
public enum SoundtrackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Voice lines are placed by clip, and the film says nothing of its clips.
    case noClipSpans(stage: String)
    /// A voice line's glob matches no clip of the film.
    case unmatchedVoice(stage: String, index: Int, match: String, position: SourcePosition, frames: [String])

    public var description: String {
        switch self {
        case .noClipSpans(let stage):
            return "stage `\(stage)` places voice lines at clips, but its film has no chapters naming them; "
                + "make the film with a merge stage of this runner (its film has one chapter per clip), "
                + "or give `voice` one file for the whole film"
        case .unmatchedVoice(let stage, let index, let match, let position, let frames):
            let shown = frames.prefix(5).map { InertText.escaped($0) }.joined(separator: ", ")
            return "\(position): `stages.\(stage).voice[\(index)].match` \"\(InertText.escaped(match))\" matches "
                + "no clip of the film (its clips are made from \(shown)\(frames.count > 5 ? ", ..." : "")); "
                + "fix the glob or remove the line"
        }
    }
}
