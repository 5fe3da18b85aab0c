import Manifest

extension ClipWork: WorkItem {
    /// The frame's name.
    public var name: String { frame.name }
    /// `<to>/<frame-stem>-<key8>.mp4`.
    public var output: Location { clip }
}
