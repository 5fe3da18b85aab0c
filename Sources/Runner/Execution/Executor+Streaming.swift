import Foundation
import Manifest
import Stages

/// Inputs handed to a stage while they are being made (`StreamingInputs`): the stage that needs one stage alone, and
/// asks for it, is fed each of that stage's items the moment it is recorded, so that its own work is as good as done
/// when the last one lands (a merge's film). The engine needs three points for it, each one call here:
///  1. `startStreaming`: when a stage starts, with its items' decisions (cached items land at once);
///  2. `streamRecorded`: when an item's outcome is known (made and recorded, failed, or not done);
///  3. `InputStreams.take(for:)`: when the fed stage runs (its consumer in its `StageContext`), closed after its items.
/// The fed stage keeps its own key, decision and records: it uses what its consumer did only when that holds exactly
/// the inputs it gets, in order, and anything else (a failed or skipped item, an interruption) falls back to the
/// stage's work made as before.
final class InputStreams: Sendable {
    /// A fed stage's consumer, and which places repeat another (identical items: one output serves both).
    struct Stream: Sendable {
        /// The stage fed.
        let stage: String
        let consumer: any InputConsumer
        /// For a leader's place, the places of the identical items whose output it is.
        let followers: [Int: [Int]]
    }

    /// Streams by the stage whose items feed them.
    private let streams = Guarded<[String: Stream]>([:])

    init() {}

    fileprivate func start(_ stream: Stream, from stage: String) { streams.update { $0[stage] = stream } }

    fileprivate func stream(from stage: String) -> Stream? { streams.value[stage] }

    /// Takes the consumer that stage `stage` was fed (it is used once).
    func take(for stage: String) -> (any InputConsumer)? {
        streams.update { all in
            guard let (key, stream) = all.first(where: { $0.value.stage == stage }) else { return nil }
            all[key] = nil
            return stream.consumer
        }
    }

    /// Takes every consumer no stage took (its stage did not run): to be closed.
    func takeAll() -> [any InputConsumer] {
        streams.update { all in
            defer { all = [:] }
            return all.values.map(\.consumer)
        }
    }
}

extension Executor {
    /// Hook 1: feeds the stage that needs `planned`'s stage alone, when it streams its inputs, this run makes some of
    /// `planned`'s items, and none failed before (the fed stage would go without it). Cached items land at once.
    /// `outcomes` are the items' outcomes known at the start.
    func startStreaming<Stage: PipelineStage>(from planned: PlannedItems<Stage>, outcomes: [ItemOutcome?]) async {
        let name = planned.stage.name
        let followers = pipeline.stages.filter { $0.needs == [name] }
        guard followers.count == 1, let follower = followers.first,
            case .waiting(let waiting)? = plan.stage(named: follower.name)?.content,
            let streaming = waiting as? any StreamingInputs
        else { return }
        var duplicates: [Int: [Int]] = [:]
        var pending = false
        for (index, decision) in planned.decisions.enumerated() {
            switch decision {
            case .run, .resume: pending = true
            case .failedBefore: return
            case .sameAs(let leader, _): duplicates[leader, default: []].append(index)
            case .cached: break
            }
        }
        let context = Planner(engine: engine, checkpoints: checkpoints, copies: copies).context(for: follower.name)
        guard pending, let consumer = streaming.inputConsumer(count: planned.items.count, in: context) else { return }
        streams.start(.init(stage: follower.name, consumer: consumer, followers: duplicates), from: name)
        for (index, outcome) in outcomes.enumerated() {
            guard case .made(let artifact, _)? = outcome else { continue }
            for place in [index] + (duplicates[index] ?? []) { await consumer.land(place, input: artifact) }
        }
    }

    /// Hook 2: the item at `index` of stage `stage` ended with `outcome` (its record written when made).
    func streamRecorded(_ index: Int, of stage: String, outcome: ItemOutcome) async {
        guard let stream = streams.stream(from: stage) else { return }
        guard case .made(let artifact, _) = outcome else {
            return await stream.consumer.abandon("item \(index + 1) of stage `\(stage)` was not made")
        }
        for place in [index] + (stream.followers[index] ?? []) { await stream.consumer.land(place, input: artifact) }
    }
}
