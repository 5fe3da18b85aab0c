import Manifest

/// One unit of a stage's work: what it is called, the key of everything that determines its output, and where the
/// runner puts that output. A clip per frame; a merge's or a publish's one item.
public protocol WorkItem: Sendable {
    /// What it is made from, for messages and records: a frame's name, or the stage's name.
    var name: String { get }
    /// The key its checkpoint record is filed under.
    var key: ContentKey { get }
    /// Where the runner puts its output: a record naming another place is not believed.
    var output: Location { get }
    /// The most a new attempt can cost, in credits (0 for local work).
    var estimatedCredits: Double { get }
    /// A note on a new item for plans (`3 clips`), or nil.
    var note: String? { get }
}

extension WorkItem {
    public var estimatedCredits: Double { 0 }
    public var note: String? { nil }
}
