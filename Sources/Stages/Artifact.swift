import Foundation
import Manifest

/// What a finished work item left behind, and what the next stage reads: a frame, a clip, a merged film,
/// a published video. Checkpoint records store it, so a cached item hands the same artifact on.
public struct Artifact: Sendable, Codable, Equatable {
    /// What it is made from, for messages: the frame's file name, or the stage's name.
    public var name: String
    /// Where it is: an absolute path or an `s3://` URL. In a checkpoint record, a path inside the project folder is
    /// stored relative to it (`./out/clips/x.mp4`), so a moved or re-cloned project still finds its outputs;
    /// `CheckpointStore` writes and reads it so (`relative(to:)`, `resolved(against:)`).
    public var location: Location
    public var size: Int64
    /// What identifies its content: a SHA-256 of the bytes, or for S3 frames their ETag.
    public var digest: ContentDigest
    /// Seconds of video, for clips and films.
    public var duration: Double?
    /// For a clip: the location of the frame it was made from (for the contact sheet).
    public var source: Location?

    /// An artifact.
    public init(
        name: String, location: Location, size: Int64, digest: ContentDigest, duration: Double? = nil,
        source: Location? = nil
    ) {
        self.name = name
        self.location = location
        self.size = size
        self.digest = digest
        self.duration = duration
        self.source = source
    }
}

extension Artifact {
    /// The prefix of a location stored relative to the project folder.
    public static let projectRelativePrefix = "./"

    /// This artifact with its local locations inside `project` (an absolute folder) made relative to it.
    public func relative(to project: String) -> Artifact {
        var copy = self
        copy.location = Self.relative(location, to: project)
        copy.source = source.map { Self.relative($0, to: project) }
        return copy
    }

    /// This artifact with relative locations made absolute against `project`; absolute paths (records written by
    /// earlier runners, outputs outside the project) and `s3://` URLs are kept as they are.
    public func resolved(against project: String) -> Artifact {
        var copy = self
        copy.location = Self.resolved(location, against: project)
        copy.source = source.map { Self.resolved($0, against: project) }
        return copy
    }

    /// `location` relative to `project` (`./out/x.mp4`) when it is a local path inside it; otherwise unchanged.
    public static func relative(_ location: Location, to project: String) -> Location {
        guard case .local(let path) = location else { return location }
        let folder = project.hasSuffix("/") ? project : project + "/"
        guard path.hasPrefix(folder), path.count > folder.count else { return location }
        return .local(path: projectRelativePrefix + path.dropFirst(folder.count))
    }

    /// `location` made absolute against `project` when it is stored relative to it; otherwise unchanged.
    public static func resolved(_ location: Location, against project: String) -> Location {
        guard case .local(let path) = location, path.hasPrefix(projectRelativePrefix) else { return location }
        // Standardised, so a `..` written into a record folds here and then fails the comparison with the
        // runner's own location for the item, as any other edited record does.
        let joined = (project.hasSuffix("/") ? project : project + "/") + path.dropFirst(projectRelativePrefix.count)
        return .local(path: URL(fileURLWithPath: joined).standardizedFileURL.path)
    }
}
