import Foundation
import Manifest

/// A stage that takes one film and gives a film (`needs: [film]`): the merge's output or another film stage's, so
/// that they chain (`film -> sound -> words -> publish`). A kind says what it adds (its options as key inputs, its own
/// files, how it treats the picture) and how to render one film into another; fetching the input film and its
/// files, the key, the output's place, checkpoints and plan lines are shared (`FilmStage+Pipeline`).
public protocol FilmStage: PipelineStage where Item == FilmWork {
    /// The version of what this kind makes (`soundtrack-v1`); raising it makes every such film again.
    static var formatVersion: String { get }

    /// The stage's options as key inputs (never secrets): any change of one makes the film again.
    var keyedOptions: [String: String] { get }
    /// The files of its own (music, voice, subtitles), each checked against the project boundary when local and
    /// keyed by its content.
    var ownFiles: [FilmFile] { get }
    /// Whether the picture is stream-copied or re-encoded: plans say which.
    var picture: PictureTreatment { get }
    /// A short description of the options for plans (`music, 20 voice clips, loudness -14 LUFS`).
    var optionsSummary: String { get }
    /// The project folder (the manifest's): local files of its own are read only inside it or a folder
    /// `RUNNER_TRUSTED_PATHS` names.
    var project: String? { get }

    /// Renders the output film (`job.output`, a file in the input film's container) from `job.film` and its own
    /// files, blocking, off the cooperative pool; polls `shouldStop` and stops with no output when it turns true.
    /// Returns warnings to show (a voice line longer than its clip...).
    func render(_ job: FilmJob, shouldStop: @escaping @Sendable () -> Bool) throws -> [String]
}

/// What a film stage does to the picture.
public enum PictureTreatment: Sendable, Equatable {
    /// The picture's packets are copied as they are (sound, soft subtitles).
    case copied
    /// The picture is decoded and encoded again (burned-in captions).
    case reencoded

    /// The plan's words for it.
    public var planText: String {
        switch self {
        case .copied: return "stream-copies the picture"
        case .reencoded: return "would re-encode the picture"
        }
    }
}

/// A file of a film stage's own, as the manifest names it.
public struct FilmFile: Sendable, Equatable {
    /// What it is for, a key input name: `music`, `voice`, `voice[3]`, `from` (as the manifest names the key).
    public var role: String
    /// Where it is: a path (absolute, resolved against the manifest's folder) or an `s3://` URL.
    public var location: Location

    /// A file with its role.
    public init(role: String, location: Location) {
        self.role = role
        self.location = location
    }
}

/// What a film stage renders from: local paths of the input film and of its own files, and where the film goes.
public struct FilmJob: Sendable {
    /// The input film, on disk.
    public var film: String
    /// The input film's container extension (`mp4`, `webm`), which the output keeps.
    public var fileExtension: String
    /// Each own file's local path, by role.
    public var files: [String: String]
    /// Where to write the output film (its folder exists; a file there is replaced).
    public var output: String
    /// A scratch folder of this job's own, deleted after it.
    public var scratch: String
}
