import Manifest

/// A stage that makes work items from its inputs: what its items are, and how to make one. The engine plans,
/// schedules, records and reports; the stage only says what to do.
public protocol PipelineStage: Sendable {
    /// The stage's kind of work item.
    associatedtype Item: WorkItem

    /// The stage's name in the manifest.
    var name: String { get }
    /// How its pending items are run.
    var schedule: StageSchedule { get }
    /// Where the outputs of its items are listed at once (one listing rather than one look per item), or nil to look
    /// at each item's output (and hash a local one).
    var outputListing: Location? { get }
    /// What a plan says while the stage's inputs are not all made yet.
    var waitingNote: String { get }
    /// Where a plan says the output goes while the stage waits for its inputs, when it is known.
    var waitingOutput: Location? { get }
    /// Whether the stage goes on without items that failed (`onFailure: skip`).
    var skipsFailures: Bool { get }
    /// The places the stage writes to outside the state (checked against the run's write boundary before any work).
    var writeLocations: [Location] { get }

    /// A line about the stage for plans; `lanes` is how many items run at once, `fromAccount` whether an account
    /// decided that.
    func summary(lanes: Int, fromAccount: Bool) -> String

    /// The items for `inputs` (the outputs of the stages it needs, in `needs` order), in order. Reads only; may await
    /// a store (a film stage keys its own files by content: an S3 object's ETag is a HEAD away).
    func items(from inputs: [Artifact], in context: StageContext) async throws -> [Item]

    /// Throws, before any item is started, when the stage cannot work at all (a provider's settings that make no
    /// client): the run stops, naming the stage.
    func check(in context: StageContext) throws

    /// The files of its own the stage reads (not its inputs), with their digests now; none for most kinds. Reads
    /// only; a file that cannot be read is given with no digest rather than thrown.
    func ownFileDigests(in context: StageContext) async -> [OwnFileDigest]

    /// Throws, when the pipeline is planned, for a file of its own the stage may not or cannot read (a local file
    /// outside the project, a symbolic link leading out of it, a missing file), so that plan and apply stop before
    /// anything is made rather than when the stage's turn comes. Reads only what checking needs (a captions stage parses
    /// its local subtitle file); no provider is called and nothing is written.
    func checkOwnFiles(in context: StageContext) throws

    /// Makes `item`, telling `run` what it pays for and how it goes. A task a previous run paid for is
    /// `run.resumedTask`: it is polled, never paid for again.
    func make(_ item: Item, in context: StageContext, run: any ItemRun) async throws(ItemFailure) -> MadeItem
}

extension PipelineStage {
    public var outputListing: Location? { nil }
    public var waitingOutput: Location? { nil }
    public var skipsFailures: Bool { false }
    public var writeLocations: [Location] { [] }
    public func check(in context: StageContext) throws {}
    public func ownFileDigests(in context: StageContext) async -> [OwnFileDigest] { [] }
    public func checkOwnFiles(in context: StageContext) throws {}
}
