/// What a finished work item left behind, and what the next stage reads: a frame, a clip, a merged film,
/// a published video. Checkpoint records store it, so a cached item hands the same artifact on.
public struct Artifact: Sendable, Codable, Equatable {
    /// What it is made from, for messages: the frame's file name, or the stage's name.
    public var name: String
    /// Where it is: an absolute path or an `s3://` URL.
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
