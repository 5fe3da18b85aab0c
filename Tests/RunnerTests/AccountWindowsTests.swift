import Foundation
import Testing

@testable import Runner

/// The window runs of one server share per Runway account: never more than its places, and a freed place goes to the
/// run holding the fewest.
@Suite struct AccountWindowsTests {
    /// Starts `acquire(lane:)` in a task and waits until the window has queued it.
    static func queue(_ window: FairWindow, lane: String, waiting: Int) async -> Task<Void, Never> {
        let task = Task { await window.acquire(lane: lane) }
        while await window.waitingCount < waiting { await Task.yield() }
        return task
    }

    /// The setup's pipeline applied as a run named `run` of a server whose runs share `windows`, in a task.
    static func apply(
        _ setup: RunwayAccountingTests.Setup, sharing windows: AccountWindows
    ) throws -> Task<RunSummary, any Error> {
        let log = setup.log
        let engine = PipelineEngine(
            pipeline: try setup.engine().pipeline,
            options: EngineOptions(
                environment: setup.environment, events: { log.append($0) }, windows: windows, lane: "run"))
        return Task { try await engine.apply() }
    }

    @Test func aFreedPlaceGoesToTheRunHoldingFewest() async {
        let window = FairWindow(limit: 2)
        await window.acquire(lane: "a")
        await window.acquire(lane: "a")
        #expect(await window.holders == ["a": 2])
        // Run a asks for two more before run b asks for one: b still gets the first place freed.
        let a1 = await Self.queue(window, lane: "a", waiting: 1)
        let a2 = await Self.queue(window, lane: "a", waiting: 2)
        let b1 = await Self.queue(window, lane: "b", waiting: 3)
        await window.release(lane: "a")
        await b1.value
        #expect(await window.holders == ["a": 1, "b": 1])
        // Then a, whose waiters keep their order.
        await window.release(lane: "b")
        await a1.value
        #expect(await window.holders == ["a": 2])
        await window.release(lane: "a")
        await a2.value
        #expect(await window.holders == ["a": 2])
        #expect(await window.waitingCount == 0)
    }

    /// A run whose account places are all held by another run of the server still fetches and prepares its frames,
    /// and waits for a place only to submit (a place held while preparing is a place Runway idles in); the places
    /// all come back when it ends.
    @Test(.timeLimit(.minutes(5))) func itemsPrepareTheirFramesWithoutAPlaceAndWaitForOneOnlyToSubmit() async throws {
        let setup = try await RunwayAccountingTests.setup(
            frames: 2, tenant: ["concurrencyLimit": 2, "generationSeconds": 0.1])
        defer { setup.project.remove() }
        let pipeline = try setup.engine().pipeline
        let identity = try #require(pipeline.providers.first.flatMap(AccountWindows.identity(of:)))
        let windows = AccountWindows()
        let window = windows.window(for: identity, limit: 2)
        await window.acquire(lane: "other")
        await window.acquire(lane: "other")
        let run = try Self.apply(setup, sharing: windows)
        while await window.waitingCount < 2 { try await Task.sleep(for: .milliseconds(20)) }

        let prepared = setup.project.folder.appendingPathComponent("clips.prepared")
        let kept = (try? FileManager.default.contentsOfDirectory(atPath: prepared.path)) ?? []
        #expect(kept.filter { $0.hasSuffix(".jpg") }.count == 2, "both frames prepared before a place: \(kept)")
        #expect(await window.holders == ["other": 2])
        #expect(try await RunwayAccountingTests.stats(setup)["tasksCreated"] as? Int == 0)

        await window.release(lane: "other")
        await window.release(lane: "other")
        let summary = try await run.value
        #expect(summary.outcome == .succeeded && summary.generated == 2, "\(summary)")
        #expect(try await RunwayAccountingTests.stats(setup)["maxInFlight"] as? Int ?? 0 <= 2)
        while await !window.holders.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await window.waitingCount == 0)
    }

    @Test func aSlotTakesTheProvidersPlaceOnlyWhenAskedAndGivesBackWhatItHolds() async {
        let lane = Limiter(limit: 1)
        await lane.acquire()
        let window = FairWindow(limit: 1)
        let slot = Slot(lane: lane, provider: LaneGate(window: window, lane: "run"))
        #expect(await window.holders.isEmpty, "no place taken before the item asks to submit")
        await slot.acquireProvider()
        await slot.acquireProvider()
        #expect(await window.holders == ["run": 1], "a retry's submission does not take a second place")
        await slot.release()
        await slot.release()
        #expect(await window.holders.isEmpty)
        // The lane came back once: one acquire passes, the next waits.
        await lane.acquire()
        let second = Slot(lane: lane, provider: LaneGate(window: window, lane: "run"))
        await second.release()
        #expect(await window.holders.isEmpty, "an item that never submitted gives back no place it did not take")
    }

    /// Runs sharing an account prepare at most two frames per account place ahead of their tasks: with every place
    /// held, a run of six frames (six lanes of its own) prepares two and waits; the rest are prepared as places free.
    @Test(.timeLimit(.minutes(5))) func runsSharingAnAccountPrepareAtMostTwoFramesPerPlaceAhead() async throws {
        let setup = try await RunwayAccountingTests.setup(
            frames: 6, tenant: ["concurrencyLimit": 1, "generationSeconds": 0.1], stage: ", concurrency: 6")
        defer { setup.project.remove() }
        let pipeline = try setup.engine().pipeline
        let identity = try #require(pipeline.providers.first.flatMap(AccountWindows.identity(of:)))
        let windows = AccountWindows()
        let window = windows.window(for: identity, limit: 1)
        let staging = windows.window(for: identity + "/staging", limit: 2)
        await window.acquire(lane: "other")
        let run = try Self.apply(setup, sharing: windows)
        // Two items wait for the account's place, prepared; four wait to start preparing.
        let queued = try await eventually(limit: .seconds(120)) {
            let (waitingToSubmit, waitingToPrepare) = (await window.waitingCount, await staging.waitingCount)
            return waitingToSubmit >= 2 && waitingToPrepare >= 4
        }
        let prepared = setup.project.folder.appendingPathComponent("clips.prepared")
        let kept = (try? FileManager.default.contentsOfDirectory(atPath: prepared.path)) ?? []
        #expect(queued, "not two waiting to submit and four to prepare")
        #expect(kept.filter { $0.hasSuffix(".jpg") }.count == 2, "frames prepared ahead: \(kept)")
        #expect(await staging.holders == ["run": 2])

        await window.release(lane: "other")
        let summary = try await run.value
        #expect(summary.outcome == .succeeded && summary.generated == 6, "\(summary)")
        #expect(try await RunwayAccountingTests.stats(setup)["maxInFlight"] as? Int ?? 0 <= 1)
        while true {
            let (submitting, preparing) = (await window.holders, await staging.holders)
            if submitting.isEmpty && preparing.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aSlotLeavesStagingWhenItTakesItsPlaceOrEnds() async {
        let lane = Limiter(limit: 2)
        await lane.acquire()
        let window = FairWindow(limit: 1)
        let staging = FairWindow(limit: 2)
        let slot = Slot(
            lane: lane, provider: LaneGate(window: window, lane: "run"), staging: LaneGate(window: staging, lane: "run")
        )
        await slot.acquireStaging()
        await slot.acquireStaging()
        #expect(await staging.holders == ["run": 1], "one staging place per item")
        await slot.acquireProvider()
        #expect(await staging.holders.isEmpty, "still staged after taking the account's place")
        #expect(await window.holders == ["run": 1])
        await slot.release()
        #expect(await window.holders.isEmpty)
        // An item that ends before it submits (a frame refused) gives its staging place back.
        await lane.acquire()
        let refused = Slot(
            lane: lane, provider: LaneGate(window: window, lane: "run"), staging: LaneGate(window: staging, lane: "run")
        )
        await refused.acquireStaging()
        await refused.release()
        #expect(await staging.holders.isEmpty)
        #expect(await window.holders.isEmpty)
    }

    @Test func oneWindowPerAccountWhateverTheRun() {
        let windows = AccountWindows()
        let first = windows.window(for: "account-1", limit: 3)
        #expect(windows.window(for: "account-1", limit: 9) === first)
        #expect(windows.window(for: "account-2", limit: 3) !== first)
    }
}
