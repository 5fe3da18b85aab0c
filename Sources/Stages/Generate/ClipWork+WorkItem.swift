import Manifest

extension ClipWork: WorkItem {
    /// The frame's name; a chained clip's is `first -> last` (`a.jpg -> b.jpg`).
    public var name: String { lastFrame.map { GenerateStage.chainedName(frame, $0) } ?? frame.name }
    /// `<to>/<frame-stem>-<key8>.mp4`.
    public var output: Location { clip }
}
