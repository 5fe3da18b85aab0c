/// How `ClipMerger` joins clips.
public enum MergeMode: String, Sendable, Codable, CaseIterable {
    /// Copy when every clip shares codec parameters, otherwise re-encode.
    case auto
    /// Remux without decoding; refuses clips that differ.
    case copy
    /// Decode, scale/pad, convert the frame rate and encode.
    case reencode
}
