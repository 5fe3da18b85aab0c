import Manifest

/// A file a stage reads itself (a film stage's music, voice, subtitles, font), and what identifies its content now:
/// a saved plan records these so that `apply FILE` refuses, naming the file, when one changed since the plan, even
/// while the stage's key is not known yet (its film is not made).
public struct OwnFileDigest: Sendable, Equatable {
    /// What it is for, a key input name: `music`, `voice[3]`, `from`.
    public let role: String
    /// Where it is: an absolute path or an `s3://` URL.
    public let location: Location
    /// A local file's SHA-256 or an S3 object's ETag, as in the stage's key; nil when it cannot be read now (the
    /// stage then fails when it runs, naming the file).
    public let digest: ContentDigest?

    /// A file's role, place and digest.
    public init(role: String, location: Location, digest: ContentDigest?) {
        self.role = role
        self.location = location
        self.digest = digest
    }
}
