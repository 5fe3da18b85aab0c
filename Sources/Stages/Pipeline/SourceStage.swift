/// A stage that finds its outputs rather than making them (frames): it lists them, with what it left out.
public protocol SourceStage: Sendable {
    /// The stage's name in the manifest.
    var name: String { get }

    /// The artifacts found, in order, with the files refused or skipped; `checks` remembers the stored frames whose
    /// headers were found good, so that a rerun does not read them again.
    func select(stores: StoreCache, checks: FrameChecks) async throws -> FrameSelection

    /// A line about the stage for plans.
    func summary(of selection: FrameSelection) -> String
}
