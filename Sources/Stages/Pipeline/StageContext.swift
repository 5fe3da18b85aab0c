import Foundation
import Manifest

/// What a stage may use of the run around it while it lists or makes items.
public struct StageContext: Sendable {
    /// The stores behind every location, holding local writes to the run's allowed folders.
    public let stores: StoreCache
    /// The run's scratch folder: the only scratch files a stage may write go inside it.
    public let scratch: URL
    /// The stage's own folder in the state (beside its records): where a merge keeps its film.
    public let stateFolder: Location
    /// The pipeline's session (the name of a published film in a folder).
    public let session: String
    /// Files this run already has on disk, by digest (a film merged here is published from here).
    public let copies: LocalCopies
    /// The environment providers read (keys, endpoints), from the trusted side.
    public let environment: [String: String]
    /// The consumer the engine fed this stage's inputs to as they were recorded (`StreamingInputs`), if it did.
    public var streamedInputs: (any InputConsumer)?

    /// A context.
    public init(
        stores: StoreCache, scratch: URL, stateFolder: Location, session: String, copies: LocalCopies,
        environment: [String: String]
    ) {
        self.environment = environment
        self.stores = stores
        self.scratch = scratch
        self.stateFolder = stateFolder
        self.session = session
        self.copies = copies
    }
}
