import Foundation
import Manifest
import Stages
import Storage
import TestSupport
import Testing

@testable import Runner

/// A stage kind the engine has never heard of: one type that says what its items are and how to make one is planned,
/// run in a window, recorded, reported and found cached on the next run by the engine's one planner and executor.
/// In the product, the same type plus one line in `StageRegistry` (and the manifest's schema for its options) is
/// the whole of a new kind.
struct NewStageKindTests {
    /// Copies each input into a folder as `<key8>.<ext>`: a trivial local stage kind.
    struct CopyStage: PipelineStage {
        struct Item: WorkItem {
            let name: String
            let key: ContentKey
            let output: Location
            let input: Artifact
        }

        let name = "copies"
        let folder: Location

        var schedule: StageSchedule { StageSchedule(concurrency: 2, typicalSeconds: 0.01) }
        var waitingNote: String { "its inputs are not made yet" }
        func summary(lanes: Int, fromAccount: Bool) -> String { "copy to \(folder), \(lanes) at once" }

        func items(from inputs: [Artifact], in context: StageContext) throws -> [Item] {
            try inputs.map { input in
                let key = try ContentKey(kind: "copy-v1", inputs: ["input": input.digest.description])
                return Item(
                    name: input.name, key: key,
                    output: folder.appending("\(key.short).\(input.location.fileExtension ?? "bin")"),
                    input: input)
            }
        }

        func make(_ item: Item, in context: StageContext, run: any ItemRun) async throws(ItemFailure) -> MadeItem {
            guard case .local(let source) = item.input.location, case .local(let target) = item.output.standardized
            else {
                throw ItemFailure(.local, reason: "the copy stage copies local files only")
            }
            do {
                try context.stores.checkWrite(path: target)
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: source, toPath: target)
                return MadeItem(
                    Artifact(
                        name: item.name, location: .local(path: target), size: item.input.size,
                        digest: .sha256(try SHA256Digest.hex(ofFile: target))))
            } catch {
                throw ItemFailure.mapping(error)
            }
        }
    }

    @Test func aStageKindUnknownToTheEngineIsPlannedRunRecordedAndThenCached() async throws {
        let setup = try ExecutorTests.kenBurns(frames: 3)
        defer { setup.project.remove() }
        let engine = try setup.engine()
        let checkpoints = try await CheckpointStore.open(
            state: engine.pipeline.state, pipeline: engine.pipeline.name, stores: engine.stores)
        let planner = Planner(engine: engine, checkpoints: checkpoints, copies: LocalCopies())
        guard case .source(_, let selection)? = try await planner.plan().stage(named: "frames")?.content else {
            Issue.record("the frames stage was not listed")
            return
        }
        let stage = CopyStage(folder: .local(path: setup.project.path("out/copies/")))

        let first = try await planner.plan(stage, inputs: selection.frames, records: nil, listing: nil, journal: [:])
        #expect(first.decisions.allSatisfy { if case .run(nil) = $0 { true } else { false } })
        let executor = Executor(
            engine: engine, checkpoints: checkpoints, plan: ExecutionPlan(), scratch: engine.scratch,
            started: .now)
        guard case .finished(let copies) = await first.execute(with: executor) else {
            Issue.record("the copy stage did not finish: \(setup.log.all)")
            return
        }
        #expect(copies.map(\.name) == ["frame_01.png", "frame_02.png", "frame_03.png"])
        #expect(zip(copies, selection.frames).allSatisfy { $0.digest == $1.digest })
        #expect(ExecutorTests.trace(setup.log.all, stage: "copies").filter { $0.hasPrefix("itemSucceeded") }.count == 3)
        let finished = try #require(setup.log.all.first { $0.kind == .stageFinished && $0.stage == "copies" })
        #expect(finished.fact == .stageFinished(stage: "copies", total: 3, succeeded: 3, failed: 0))
        #expect(executor.tally.value.stagesRun == ["copies"])
        #expect(
            try await checkpoints.records(of: "copies").values.allSatisfy {
                $0.state == .succeeded && $0.provider == nil
            })

        // The next run finds every copy where its record says, as it is: nothing to do.
        let again = try await planner.plan(stage, inputs: selection.frames, records: nil, listing: nil, journal: [:])
        #expect(again.decisions.allSatisfy { if case .cached = $0 { true } else { false } })
        #expect(again.outputs == copies)
    }
}
