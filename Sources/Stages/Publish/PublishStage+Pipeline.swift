import Foundation
import Manifest

extension PublishWork: WorkItem {
    /// The destination.
    public var output: Location { destination }
}

extension PublishStage: PipelineStage {
    /// One upload at a time.
    public var schedule: StageSchedule { StageSchedule(typicalSeconds: 1) }

    public var waitingNote: String { "the film is not made yet" }

    public var waitingOutput: Location? { options.to }

    /// The destination, and the run record's.
    public var writeLocations: [Location] { [options.to] + (options.record.map { [$0] } ?? []) }

    /// `to s3://bucket/films/, link valid 7d`.
    public func summary(lanes: Int, fromAccount: Bool) -> String {
        options.presign.map { "to \(options.to), link valid \(DurationText.format($0))" } ?? "to \(options.to)"
    }

    /// The film (its first input) at its destination; throws when there is no film.
    public func items(from inputs: [Artifact], in context: StageContext) throws -> [PublishWork] {
        guard let film = inputs.first else { throw StageError.nothingToPublish(stage: name) }
        return [try work(input: film, session: context.session)]
    }

    /// Puts the film at its destination.
    public func make(_ item: PublishWork, in context: StageContext, run: any ItemRun) async throws(ItemFailure)
        -> MadeItem
    {
        do {
            return MadeItem(
                try await make(item, stores: context.stores, workDirectory: context.scratch, copies: context.copies))
        } catch {
            throw ItemFailure.mapping(error)
        }
    }
}
