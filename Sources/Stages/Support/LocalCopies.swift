import Foundation

/// Files this run already has on disk, by content digest: a film merged here is published from here,
/// not downloaded again from the state it was just uploaded to.
public actor LocalCopies {
    private var paths: [ContentDigest: String] = [:]

    /// An empty set.
    public init() {}

    /// A local file with `digest`, if one is known and still there.
    func path(for digest: ContentDigest) -> String? {
        guard let path = paths[digest], FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    func remember(_ path: String, digest: ContentDigest) {
        paths[digest] = path
    }
}
