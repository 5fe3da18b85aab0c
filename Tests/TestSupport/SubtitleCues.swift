import Foundation

/// A film's first subtitle track as ffmpeg reads it back to SubRip, one `start --> end|text` per cue (lines of a
/// cue joined with `|`): the oracle the captions tests compare with. Throws when ffmpeg cannot read the track.
public func subtitleCues(_ path: String) throws -> [String] {
    let result = try run(
        "/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:s:0", "-f", "srt", "-"])
    guard result.status == 0 else {
        throw TestSetupError(description: "ffmpeg cannot read \(path)'s captions: \(result.stderr)")
    }
    return result.stdout.components(separatedBy: "\n\n").map {
        $0.split(separator: "\n").dropFirst().joined(separator: "|")
    }.filter { !$0.isEmpty }
}
