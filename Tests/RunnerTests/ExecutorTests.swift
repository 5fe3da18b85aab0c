import Foundation
import Manifest
import Runner
import Synchronization
import TestSupport
import Testing

/// The engine's executor driven in process (`PipelineEngine.apply()`, no `runner` process): the window of a generate
/// stage, a budget met mid-stage, an interrupted apply and its rerun, `onFailure: skip`, and a merge whose clip is gone.
/// Ken Burns clips in a temporary folder; the budget test needs prices, so it runs against the Runway double.
@Suite struct ExecutorTests {
    /// A project of `frames` frames whose clips stage uses a local Ken Burns provider; `provider` and `clips` are
    /// extra flow-mapping entries of the provider and of the clips stage.
    static func kenBurns(frames: Int, provider: String = "concurrency: 1", clips: String = "") throws -> EngineSetup {
        let project = try PipelineProject.make(frames: frames)
        try project.write(
            manifest: """
                version: 1
                name: executor
                providers:
                  draft: { type: kenburns, \(provider) }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, seed: 3\(clips), to: ./out/clips/ }
                  film: { type: merge, needs: [clips] }
                  publish: { type: publish, needs: [film], to: ./out/film.mp4 }
                """)
        return EngineSetup(project: project, tenant: nil)
    }

    /// The events of `stage`'s items, as `kind item` lines.
    static func trace(_ events: [RunEvent], stage: String = "clips") -> [String] {
        events.filter { $0.stage == stage && $0.item != nil && $0.kind != .itemStatus }.map {
            "\($0.kind.rawValue) \($0.item ?? "")"
        }
    }

    @Test func aGenerateStageHasAtMostItsConcurrencyOfClipsInFlight() async throws {
        // The provider would allow 4; the stage asks for 2.
        let setup = try Self.kenBurns(frames: 6, provider: "concurrency: 4", clips: ", concurrency: 2")
        defer { setup.project.remove() }
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded && summary.generated == 6, "\(summary)")
        var inFlight = 0
        var most = 0
        for line in Self.trace(setup.log.all) {
            if line.hasPrefix("itemStarted ") { inFlight += 1 }
            if line.hasPrefix("itemSucceeded ") || line.hasPrefix("itemFailed ") { inFlight -= 1 }
            most = max(most, inFlight)
        }
        #expect(most == 2, "clips in flight at most \(most), for a window of 2: \(Self.trace(setup.log.all))")
        #expect(inFlight == 0, "every started clip finished")
    }

    @Test func aBudgetMetMidStageStopsSubmittingAndTheSummarySaysWhere() async throws {
        // Runway charges 12 of each 25-credit estimate. After a first clip, the plan expects 12 a clip, so 4 clips (48)
        // fit a budget of 48; but the ledger holds a clip in flight at its maximum: 0+25, 12+25 fit, 24+25 does not.
        let setup = try await RunwayAccountingTests.setup(
            frames: 1, tenant: ["chargedFraction": 0.5], stage: ", concurrency: 1",
            top: "budget: { maxCredits: 48 }")
        defer { setup.project.remove() }
        #expect(try await setup.engine().apply().generated == 1)
        try setup.project.makeFrames(4, startingAt: 2)
        setup.log.clear()

        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .failed)
        #expect(
            summary.reason == "budget.maxCredits (48) reached at frame_04.png: later clips were not submitted; "
                + "raise the budget and rerun to make them", "\(summary.reason ?? "no reason")")
        #expect(
            summary.generated == 2 && summary.skipped == 1 && summary.notStarted == 2 && summary.failures.isEmpty,
            "\(summary)")
        #expect(summary.credits == 24 && summary.estimatedCredits == 50, "\(summary)")
        #expect(try await RunwayAccountingTests.stats(setup)["tasksCreated"] as? Int == 3)
        let events = setup.log.all
        #expect(
            Set(events.filter { $0.kind == .itemSubmitted }.compactMap(\.item)) == ["frame_02.png", "frame_03.png"])
        // A clip's slot is freed once its task is done and charged (its download needs none), so the next clip starts
        // while the last downloads: each clip's own events are pinned, and the order they started in. frame_04 is
        // announced (itemStarted) before the budget refuses its submission, and `itemStopped` ends it, saying why.
        let trace = Self.trace(events)
        #expect(
            trace.filter { $0.hasPrefix("itemStarted") }
                == ["frame_02.png", "frame_03.png", "frame_04.png"].map { "itemStarted \($0)" })
        for (item, kinds) in [
            ("frame_02.png", ["itemStarted", "itemSubmitted", "itemSucceeded"]),
            ("frame_03.png", ["itemStarted", "itemSubmitted", "itemSucceeded"]),
            ("frame_04.png", ["itemStarted", "itemStopped"]), ("frame_05.png", []),
        ] {
            #expect(trace.filter { $0.hasSuffix(" " + item) } == kinds.map { "\($0) \(item)" }, "\(trace)")
        }
        let finished = try #require(events.first { $0.kind == .stageFinished && $0.stage == "clips" })
        // Its counts add up: the two clips not made (frame_04 stopped, frame_05 never started) are `notStarted`.
        #expect(finished.fact == .stageFinished(stage: "clips", total: 5, succeeded: 3, failed: 0, notStarted: 2))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(finished), as: UTF8.self)
        #expect(json.contains(#""failed":0,"kind":"stageFinished","notStarted":2"#), "\(json)")
        let stopped = events.first { $0.kind == .itemStopped }
        #expect(stopped?.fact == .itemStopped(stage: "clips", item: "frame_04.png", reason: summary.reason ?? ""))
        let records = try #require(try await setup.engine().status().stages.first { $0.name == "clips" }).records
        #expect(records.map(\.item).sorted() == ["frame_01.png", "frame_02.png", "frame_03.png"])
        // The summary's generated clips are those the events say were made anew (folded from `itemSucceeded`).
        let madeAnew = events.filter { event in
            if case .itemSucceeded(_, _, _, let charges?) = event.fact { return !charges.resumed }
            return false
        }
        #expect(madeAnew.count == summary.generated)
    }

    @Test func anInterruptedApplyKeepsWhatItFinishedAndTheRerunDoesOnlyTheRest() async throws {
        let setup = try Self.kenBurns(frames: 6)
        defer { setup.project.remove() }
        // Cancelled the moment the second clip is recorded: one clip at a time, so no other clip has started.
        let canceller = Canceller()
        setup.log.hook.withLock {
            $0 = { event in
                if event.kind == .itemSucceeded, event.item == "frame_02.png" { canceller.cancel() }
            }
        }
        let engine = try setup.engine()
        let work = Task { try await engine.apply() }
        canceller.set(work)
        let summary = try await work.value
        #expect(
            summary.outcome == .interrupted && summary.reason == "interrupted; the next run resumes what was in flight",
            "\(summary)")
        // Not started: four clips, and the merge and the publish (one each: they wait for their inputs), each said so.
        #expect(
            summary.generated == 2 && summary.notStarted == 6 && summary.failures.isEmpty && summary.stagesRun.isEmpty,
            "\(summary)")
        #expect(setup.log.all.filter { $0.kind == .stageNotStarted }.compactMap(\.stage) == ["film", "publish"])
        #expect(
            Self.trace(setup.log.all) == [
                "itemStarted frame_01.png", "itemSucceeded frame_01.png", "itemStarted frame_02.png",
                "itemSucceeded frame_02.png",
            ])
        let records = try #require(try await setup.engine().status().stages.first { $0.name == "clips" }).records
        #expect(
            records.map(\.item).sorted() == ["frame_01.png", "frame_02.png"]
                && records.allSatisfy { $0.state == .succeeded },
            "\(records)")
        #expect(!FileManager.default.fileExists(atPath: setup.project.path("out/film.mp4")))

        setup.log.hook.withLock { $0 = nil }
        setup.log.clear()
        let rerun = try await setup.engine().apply()
        #expect(rerun.outcome == .succeeded && rerun.generated == 4 && rerun.skipped == 2, "\(rerun)")
        #expect(
            Self.trace(setup.log.all).filter { $0.hasPrefix("itemStarted") }
                == ["frame_03.png", "frame_04.png", "frame_05.png", "frame_06.png"].map { "itemStarted \($0)" })
        #expect(abs(try ProbedVideo.of(setup.project.path("out/film.mp4")).duration - 6.0) < 0.1)
    }

    @Test func underOnFailureSkipABadFrameIsLeftOutAndTheCountsAgree() async throws {
        let setup = try Self.kenBurns(frames: 3, clips: ", onFailure: skip")
        defer { setup.project.remove() }
        // Cut short: its header reads, its pixel data stops before the PNG's end.
        let bad = setup.project.path("frames/frame_02.png")
        try Data(try Data(contentsOf: URL(fileURLWithPath: bad)).prefix(2000)).write(to: URL(fileURLWithPath: bad))

        let summary = try await setup.engine().apply()
        #expect(
            summary.outcome == .succeeded && summary.generated == 2 && summary.stagesRun == ["film", "publish"],
            "\(summary)")
        let failure = try #require(summary.failures.first)
        #expect(
            summary.failures.count == 1 && failure.stage == "frames" && failure.item == "frame_02.png"
                && failure.skipped)
        #expect(failure.reason == "truncated: its data stops before the PNG's end chunk; copy or export it again")

        let events = setup.log.all
        let failed = events.filter { $0.kind == .itemFailed }
        #expect(
            failed.count == summary.failures.count
                && failed.first?.fact
                    == .itemFailed(stage: "frames", item: "frame_02.png", reason: failure.reason, skipped: true)
        )
        let clips = try #require(events.first { $0.kind == .stageFinished && $0.stage == "clips" })
        #expect(clips.fact == .stageFinished(stage: "clips", total: 2, succeeded: summary.generated, failed: 0))
        #expect(
            Self.trace(events).filter { $0.hasPrefix("itemSucceeded") } == [
                "itemSucceeded frame_01.png", "itemSucceeded frame_03.png",
            ])
        #expect(abs(try ProbedVideo.of(setup.project.path("out/film.mp4")).duration - 2.0) < 0.1)
    }

    @Test func aClipGoneAfterItsRecordHaltsTheMergeNamingItAndTheRerunMakesOnlyIt() async throws {
        let setup = try Self.kenBurns(frames: 3)
        defer { setup.project.remove() }
        let project = setup.project
        let gone = project.path("out/clips/frame_01-af12d510.mp4")
        // Deleted once the last clip is recorded: the first clip is recorded and listed, and the merge has not read it.
        setup.log.hook.withLock {
            $0 = { event in
                if event.kind == .itemSucceeded, event.item == "frame_03.png" {
                    try? FileManager.default.removeItem(atPath: gone)
                }
            }
        }
        let summary = try await setup.engine().apply()
        let reason =
            "the clip of frame_01.png is gone: \(gone) was deleted after it was recorded; run apply again: the plan makes it again"
        #expect(summary.outcome == .failed && summary.reason == "stage `film`: \(reason)", "\(summary)")
        #expect(summary.generated == 3 && summary.stagesRun.isEmpty)
        #expect(
            summary.failures.map { "\($0.stage) \($0.item) \($0.skipped) \($0.reason)" } == [
                "film film false \(reason)"
            ])
        let film = setup.log.all.filter { $0.stage == "film" }.map { event in
            switch event.fact {
            case .itemFailed(_, _, let reason, _), .warning(_, let reason): return "\(event.kind.rawValue) \(reason)"
            default: return "\(event.kind.rawValue) "
            }
        }
        #expect(film == ["stageStarted ", "itemStarted ", "itemFailed \(reason)", "stageFinished "])
        // The publish stage after the halted merge says why it did not start, and counts as one item not started (its
        // items are not known while it waits for the film).
        let publish = setup.log.all.filter { $0.stage == "publish" }.map(\.fact)
        #expect(
            publish == [
                .stageNotStarted(stage: "publish", total: nil, reason: "stage `film` did not finish (1 item failed)")
            ])
        #expect(summary.notStarted == 1, "\(summary)")

        setup.log.hook.withLock { $0 = nil }
        let plan = try await setup.engine().plan()
        let decisions = plan.stages.first { $0.name == "clips" }?.items.map { "\($0.item) \($0.action)" }
        #expect(decisions == ["frame_01.png regenerate", "frame_02.png cached", "frame_03.png cached"])
        let rerun = try await setup.engine().apply()
        #expect(rerun.outcome == .succeeded && rerun.generated == 1 && rerun.skipped == 2, "\(rerun)")
        #expect(FileManager.default.fileExists(atPath: gone))
    }
}

/// Cancels a task from an event callback, whether the task is known yet or not.
final class Canceller: Sendable {
    private let state = Mutex<(task: Task<RunSummary, any Error>?, requested: Bool)>((nil, false))

    func set(_ task: Task<RunSummary, any Error>) {
        if state.withLock({
            $0.task = task
            return $0.requested
        }) {
            task.cancel()
        }
    }

    func cancel() {
        state.withLock {
            $0.requested = true
            return $0.task
        }?.cancel()
    }
}
