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

    @Test func oneWindowPerAccountWhateverTheRun() {
        let windows = AccountWindows()
        let first = windows.window(for: "account-1", limit: 3)
        #expect(windows.window(for: "account-1", limit: 9) === first)
        #expect(windows.window(for: "account-2", limit: 3) !== first)
    }
}
