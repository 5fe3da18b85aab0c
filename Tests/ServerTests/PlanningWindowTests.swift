import Testing

@testable import Server

/// The few runs `runner serve` lets plan at once (`PlanningWindow`): the rest wait in order, and a place is given
/// back once however often it is left.
@Suite struct PlanningWindowTests {
    /// Enters `window` in a task that appends `name` to `order` once in, and waits until it is in or waiting.
    static func enter(
        _ window: PlanningWindow, _ name: String, _ order: Order
    ) async -> Task<PlanningWindow.Place, Never> {
        Task {
            let place = await window.enter()
            await order.append(name)
            return place
        }
    }

    actor Order {
        var names: [String] = []
        func append(_ name: String) { names.append(name) }
    }

    @Test func runsPastTheLimitWaitInTheOrderTheyCame() async throws {
        let window = PlanningWindow(limit: 2)
        let order = Order()
        let first = await window.enter()
        let second = await window.enter()
        #expect(await window.planningCount == 2)
        let third = await Self.enter(window, "third", order)
        try await Task.sleep(for: .milliseconds(50))
        let fourth = await Self.enter(window, "fourth", order)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await order.names.isEmpty, "a run entered past the limit")

        first.leave()
        first.leave()  // A place is given back once: the plan was made, then the run ended.
        let thirdPlace = await third.value
        try await Task.sleep(for: .milliseconds(50))
        #expect(await order.names == ["third"], "leaving twice let two runs in")
        second.leave()
        let fourthPlace = await fourth.value
        #expect(await order.names == ["third", "fourth"])
        thirdPlace.leave()
        fourthPlace.leave()
        while await window.planningCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
    }
}
