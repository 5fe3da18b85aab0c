/// Everything that can go wrong in the Media module, phrased so a user can act on it.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A merge was asked for with no clips.
    case noClips
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but FFmpeg cannot read it as audio/video.
    case notMedia(path: String, reason: String)
    /// The file is a media file whose data stops early (cut short or damaged).
    case truncated(path: String, reason: String)
    /// The file has no video stream.
    case noVideoStream(path: String)
    /// Copy mode cannot join this clip to the first one without re-encoding.
    case incompatibleClip(index: Int, path: String, parameter: String, found: String, expected: String)
    /// Copy mode would not play this clip as a player shows it on its own (hidden frames, audio that
    /// does not cover the picture); `reason` says what and how much.
    case notCopyable(index: Int, path: String, reason: String)
    /// An option value is out of range or inconsistent.
    case invalidOption(String)
    /// The file is not a still image FFmpeg can decode.
    case notAnImage(path: String, reason: String)
    /// The image is larger than the generator accepts.
    case imageTooLarge(path: String, limitMegapixels: Int)
    /// The image is too small to make a video from.
    case imageTooSmall(path: String, width: Int, height: Int, minimum: Int)
    /// Decoding a file that opened correctly failed part way.
    case decodingFailed(path: String, reason: String)
    /// Encoding or writing the output failed.
    case outputFailed(path: String, reason: String)
    /// The caller asked to stop; the partial output was deleted.
    case cancelled(path: String)
    /// A needed codec or feature is missing from this FFmpeg build.
    case unavailable(String)
    /// A still the runner will not use (empty, truncated, undecodable, too large or of an unusable shape): `problem` says which.
    case unusableImage(path: String, problem: ImageProblem)

    /// True when the error is the caller's input (exit status 2), false when the work itself failed (1).
    public var isInvalidInput: Bool {
        switch self {
        case .noClips, .fileNotFound, .notMedia, .truncated, .noVideoStream, .incompatibleClip, .notCopyable,
            .invalidOption, .notAnImage, .imageTooLarge, .imageTooSmall, .unusableImage:
            return true
        case .decodingFailed, .outputFailed, .unavailable, .cancelled:
            return false
        }
    }

    public var description: String {
        switch self {
        case .noClips:
            return "No clips to merge: give at least one video file."
        case .fileNotFound(let path):
            return "'\(path)' does not exist: check the path."
        case .notMedia(let path, let reason):
            return
                "'\(path)' is not a video file FFmpeg can read (\(reason)): check that it is a video and not damaged."
        case .truncated(let path, let reason):
            return "'\(path)' is truncated or damaged (\(reason)): download or generate it again."
        case .noVideoStream(let path):
            return "'\(path)' has no video stream: give a video clip."
        case .incompatibleClip(let index, let path, let parameter, let found, let expected):
            return
                "Copy mode cannot join clip \(index + 1) '\(path)': its \(parameter) is \(found) where the first clip's is \(expected). Use --mode reencode (or auto) to merge clips that differ."
        case .notCopyable(let index, let path, let reason):
            return
                "Copy mode cannot join clip \(index + 1) '\(path)' exactly: \(reason). Use --mode reencode (or auto), which re-encodes it as a player shows it."
        case .invalidOption(let message):
            return message
        case .notAnImage(let path, let reason):
            return "'\(path)' is not an image FFmpeg can decode (\(reason)): give a PNG, JPEG or WebP file."
        case .imageTooLarge(let path, let limit):
            return
                "'\(path)' is larger than \(limit) megapixels, the most the Ken Burns generator decodes: downscale it first (e.g. to 8000 pixels on the long side)."
        case .imageTooSmall(let path, let width, let height, let minimum):
            return "'\(path)' is only \(width)x\(height) pixels: give an image at least \(minimum)x\(minimum)."
        case .decodingFailed(let path, let reason):
            return "Decoding '\(path)' failed (\(reason)): the file may be damaged."
        case .outputFailed(let path, let reason):
            return "Writing '\(path)' failed (\(reason)): check the folder exists, is writable and has free space."
        case .cancelled(let path):
            return "Stopped before '\(path)' was finished; nothing was written there."
        case .unavailable(let what):
            return "This FFmpeg build lacks \(what): install an FFmpeg with it."
        case .unusableImage(let path, let problem):
            return "'\(path)' cannot be used as a frame: \(problem)."
        }
    }
}
