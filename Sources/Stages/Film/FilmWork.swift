import Manifest

/// The one work item of a film stage: the input film, the stage's own files with their digests, the key of all of
/// them and the stage's options, and where the output film is kept (beside the stage's records, as a merge's film).
public struct FilmWork: WorkItem {
    /// The stage's name: a film stage's one item is named as its stage.
    public let name: String
    /// The film it is made from.
    public let film: Artifact
    /// Its own files, each with what identifies its content (a local file's SHA-256, an S3 object's ETag).
    public let files: [DigestedFile]
    public let key: ContentKey
    /// `STATE/<pipeline>/<stage>/<key>.<ext>`, the input film's extension.
    public let output: Location
    /// The plan's note: what it does to the picture.
    public let note: String?
}

/// A film stage's own file and what identifies its content when the item was planned.
public struct DigestedFile: Sendable, Equatable {
    public let file: FilmFile
    public let digest: ContentDigest
}
