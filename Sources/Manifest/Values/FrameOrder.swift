/// How the frames of a folder are put in order.
public enum FrameOrder: String, Sendable, CaseIterable, Codable {
    /// Digits compare as numbers: `frame_2` before `frame_10`.
    case natural
    /// Plain byte order of the names.
    case lexical
    /// Oldest modification time first; ties by natural order.
    case modified
}
