import Foundation
import Manifest
import Media

/// A `soundtrack` stage: the film's sound made again from its clips' own sound, a music bed and voice-over, ducked
/// and brought to a loudness target; the picture is stream-copied (`FilmStage` does the rest).
public struct SoundtrackStage: FilmStage {
    public typealias Item = FilmWork

    /// The version of the soundtrack the runner makes; raising it makes every soundtrack again.
    public static let formatVersion = "soundtrack-v1"

    public let name: String
    public let options: SoundtrackOptions
    public let project: String?

    /// The stage named `name` with its options; `project` is the manifest's folder (nil: files are read anywhere).
    public init(name: String, options: SoundtrackOptions, project: String? = nil) {
        self.name = name
        self.options = options
        self.project = project
    }

    public var picture: PictureTreatment { .copied }

    /// The music and the voice files, by role (`music`, `voice`, `voice[3]`).
    public var ownFiles: [FilmFile] {
        var files: [FilmFile] = []
        if let music = options.music { files.append(FilmFile(role: "music", location: music.file)) }
        switch options.voice {
        case .whole(let location)?: files.append(FilmFile(role: "voice", location: location))
        case .perClip(let lines)?:
            for (index, line) in lines.enumerated() {
                files.append(FilmFile(role: "voice[\(index)]", location: line.file))
            }
        case nil: break
        }
        return files
    }

    /// Every option that changes the sound (the files enter the key by content, in `FilmStage`).
    public var keyedOptions: [String: String] {
        var inputs = [
            "clipAudio": options.clipAudio.rawValue,
            "loudness": "\(options.loudness.target)/\(options.loudness.truePeak)",
        ]
        if let music = options.music {
            inputs["music"] = "fadeIn=\(music.fadeIn),fadeOut=\(music.fadeOut),level=\(music.level)"
        }
        if let duck = options.duck { inputs["duck"] = "\(duck.by)/\(duck.attack)/\(duck.release)" }
        if case .perClip(let lines)? = options.voice {
            inputs["voice"] = lines.map(\.match).joined(separator: "\n")
        }
        return inputs
    }

    /// `music, 3 voice lines, ducked 12 dB, -14 LUFS / -1 dBTP`.
    public var optionsSummary: String {
        var parts: [String] = []
        if options.music != nil { parts.append("music") }
        switch options.voice {
        case .whole?: parts.append("a voice-over")
        case .perClip(let lines)?: parts.append("\(lines.count) voice line\(lines.count == 1 ? "" : "s")")
        case nil: break
        }
        parts.append(options.clipAudio == .keep ? "the clips' sound" : "without the clips' sound")
        if let duck = options.duck { parts.append("ducked \(Self.format(duck.by)) dB") }
        parts.append("\(Self.format(options.loudness.target)) LUFS / \(Self.format(options.loudness.truePeak)) dBTP")
        return parts.joined(separator: ", ")
    }

    /// Places the voice lines at their clips (the film's chapters) and renders the soundtrack.
    public func render(_ job: FilmJob, shouldStop: @escaping @Sendable () -> Bool) throws -> [String] {
        var warnings: [String] = []
        let voices = try voicePlacements(job, warnings: &warnings)
        let recipe = SoundtrackRecipe(
            music: options.music.flatMap { music in
                job.files["music"].map {
                    .init(path: $0, fadeIn: music.fadeIn, fadeOut: music.fadeOut, level: music.level)
                }
            },
            voices: voices, keepClipAudio: options.clipAudio == .keep,
            ducking: options.duck.map { .init(depth: $0.by, attack: $0.attack, release: $0.release) },
            loudnessTarget: options.loudness.target, truePeak: options.loudness.truePeak)
        let report = try Soundtrack.render(
            film: job.film, output: job.output, format: job.fileExtension == "webm" ? .webm : .mp4, recipe: recipe,
            scratch: job.scratch, shouldStop: shouldStop)
        return warnings + report.warnings
    }

    /// Each voice file with its start in the film: the whole-film file at 0, a line at the start of the first clip
    /// (chapter) whose frame its glob matches.
    func voicePlacements(_ job: FilmJob, warnings: inout [String]) throws -> [SoundtrackRecipe.Voice] {
        switch options.voice {
        case nil:
            return []
        case .whole?:
            return job.files["voice"].map { [.init(path: $0, start: 0)] } ?? []
        case .perClip(let lines)?:
            let chapters = try FilmChapters.read(path: job.film)
            let placed = try VoicePlacement.place(lines, in: chapters, stage: name)
            warnings += placed.warnings
            return placed.starts.enumerated().compactMap { index, start in
                job.files["voice[\(index)]"].map { SoundtrackRecipe.Voice(path: $0, start: start) }
            }
        }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
