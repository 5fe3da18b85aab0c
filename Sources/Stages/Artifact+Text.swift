import Manifest

extension Artifact {
    /// An artifact from a location and digest given as text, for callers that still build them so (`FramesStage`):
    /// a location that does not parse is taken as a local path, a digest in none of the known forms as an ETag.
    public init(name: String, location: String, size: Int64, digest: String, duration: Double? = nil, source: String? = nil) {
        func parsed(_ text: String) -> Location { (try? Location(parsing: text)) ?? .local(path: text) }
        self.init(name: name, location: parsed(location), size: size,
                  digest: (try? ContentDigest(parsing: digest)) ?? .etag(digest), duration: duration, source: source.map(parsed))
    }
}
