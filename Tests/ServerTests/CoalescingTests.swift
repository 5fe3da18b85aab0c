import Synchronization
import Testing

@testable import Server

/// Request coalescing (`Coalescing`, behind `list_frames`): callers of one key while its work is under way share it;
/// other keys and later callers start their own.
@Suite struct CoalescingTests {
    /// Counts the works started and holds each until `open()`.
    final class Work: Sendable {
        private let started = Mutex(0)
        /// Whether the works may finish, and those waiting until they may.
        private let gate = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        var count: Int { started.withLock { $0 } }

        func run(_ value: String) async -> String {
            let number = started.withLock { count in
                count += 1
                return count
            }
            await withCheckedContinuation { continuation in
                let open = gate.withLock { gate in
                    if !gate.open { gate.waiting.append(continuation) }
                    return gate.open
                }
                if open { continuation.resume() }
            }
            return "\(value) #\(number)"
        }

        func open() {
            let waiting = gate.withLock { gate in
                gate.open = true
                defer { gate.waiting = [] }
                return gate.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    @Test func callersOfOneKeyShareTheWorkUnderWayAndLaterOnesStartAgain() async throws {
        let coalescing = Coalescing<String, String>()
        let work = Work()
        let callers = (0..<20).map { _ in
            Task { try await coalescing.value(for: "alice") { await work.run("alice") } }
        }
        let other = Task { try await coalescing.value(for: "bob") { await work.run("bob") } }
        while work.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        // Give every caller time to arrive while the work is held.
        try await Task.sleep(for: .milliseconds(100))
        work.open()
        var answers: Set<String> = []
        for caller in callers { answers.insert(try await caller.value) }
        #expect(answers.count == 1, "\(answers)")
        #expect(try await other.value.hasPrefix("bob #"))
        #expect(work.count == 2, "one work for alice's twenty callers, one for bob's")

        // The work is over: the next caller starts it afresh.
        let later = try await coalescing.value(for: "alice") { await work.run("alice") }
        #expect(!answers.contains(later))
        #expect(work.count == 3)
    }

    @Test func aFailureReachesEveryCallerAndIsNotKept() async throws {
        struct Refused: Error {}
        let coalescing = Coalescing<String, Int>()
        await #expect(throws: Refused.self) { try await coalescing.value(for: "k") { throw Refused() } }
        #expect(try await coalescing.value(for: "k") { 7 } == 7)
    }
}
