/// The container (and codec family) of a merged file.
public enum OutputFormat: String, Sendable, Codable, CaseIterable {
    /// H.264 (+AAC) in MP4 with `moov` first.
    case mp4
    /// VP9 (+Opus) in WebM.
    case webm
}
