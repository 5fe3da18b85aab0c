import Foundation

/// What a finished work item left behind, and what the next stage reads: a frame, a clip, a merged film,
/// a published video. Checkpoint records store it, so a cached item hands the same artifact on.
public struct Artifact: Sendable, Codable, Equatable {
    /// What it is made from, for messages: the frame's file name, or the stage's name.
    public var name: String
    /// Where it is: an absolute path or an `s3://` URL. In a checkpoint record, a path inside the project folder is
    /// stored relative to it (`./out/clips/x.mp4`), so a moved or re-cloned project still finds its outputs;
    /// `CheckpointStore` writes and reads it so (`relative(to:)`, `resolved(against:)`).
    public var location: String
    public var size: Int64
    /// What identifies its content: `sha256:HEX`, or for S3 frames `md5:HEX` / `etag:TEXT` from the ETag.
    public var digest: String
    /// Seconds of video, for clips and films.
    public var duration: Double?
    /// For a clip: the location of the frame it was made from (for the contact sheet).
    public var source: String?

    /// An artifact.
    public init(name: String, location: String, size: Int64, digest: String, duration: Double? = nil, source: String? = nil) {
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

    static func relative(_ location: String, to project: String) -> String {
        let folder = project.hasSuffix("/") ? project : project + "/"
        guard location.hasPrefix(folder), location.count > folder.count else { return location }
        return projectRelativePrefix + location.dropFirst(folder.count)
    }

    static func resolved(_ location: String, against project: String) -> String {
        guard location.hasPrefix(projectRelativePrefix) else { return location }
        // Standardised, so a `..` written into a record folds here and then fails the comparison with the
        // runner's own location for the item, as any other edited record does.
        let joined = (project.hasSuffix("/") ? project : project + "/") + location.dropFirst(projectRelativePrefix.count)
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
