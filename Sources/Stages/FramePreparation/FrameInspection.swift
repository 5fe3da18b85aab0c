import Foundation
import Media

/// The check every frame passes before it is planned: its header read (type, size, orientation), its end checked
/// (`ImageHeader.checkComplete`) and held to `ImageLimits`. Local frames are read here as they are hashed; S3 frames
/// are read in two ranges, their first MiB and last 64 KiB (`StoredFrameCheck`), and go through the same check, except
/// that an S3 HEIF or AVIF frame longer than a MiB is known by its magic bytes and size only (libheif reads a HEIF
/// header from a whole file) and its header is checked when it is prepared (`PreparedFrames`), before its own
/// submission.
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
            return .unreadable(
                "it is \(size >> 20) MiB, more than the \(maximumFileBytes >> 20) MiB the runner reads for a frame; export it smaller"
            )
        }
        return nil
    }
}
