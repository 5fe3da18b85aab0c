import Foundation
import Media

/// The check every frame passes before it is planned: its header read (type, size, orientation) and held to
/// `ImageLimits`. Local frames are read here; an S3 frame's listing gives its size, and its header is read when
/// it is prepared (`PreparedFrames`), still before its first submission.
public enum FrameInspection {
    /// Files larger than this are refused from their size alone: no frame worth a video is this large, and its
    /// preparation would download it first.
    public static let maximumFileBytes: Int64 = 512 << 20

    /// The problem of a local frame, or nil when it can be used.
    public static func problem(atPath path: String) -> ImageProblem? {
        do {
            _ = try PreparedImage.inspect(path: path)
            return nil
        } catch {
            return error
        }
    }

    /// What the listing alone says about a frame: empty, or too large a file.
    public static func problem(listedSize size: Int64) -> ImageProblem? {
        if size == 0 { return .empty }
        if size > maximumFileBytes {
            return .unreadable("it is \(size >> 20) MiB, more than the \(maximumFileBytes >> 20) MiB the runner reads for a frame; export it smaller")
        }
        return nil
    }
}
