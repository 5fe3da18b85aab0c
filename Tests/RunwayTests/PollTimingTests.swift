import Manifest
import Testing

@testable import Runway

/// When `waitForTask` reads a task again (`PollTiming`): every interval, sooner when the task's progress says it ends
/// sooner, never sooner than a quarter interval, and backing off while THROTTLED. Pure: times are made up.
@Suite struct PollTimingTests {
    @Test func pendingAndTheFirstRunningReadWaitTheInterval() {
        var timing = PollTiming(interval: .seconds(6))
        #expect(
            timing.wait(afterReadAt: 0, status: .pending, progress: nil, throttledPolls: 0, jitter: 1) == .seconds(6))
        #expect(
            timing.wait(afterReadAt: 6, status: .running, progress: 0.1, throttledPolls: 0, jitter: 1) == .seconds(6))
        let jittered = timing.wait(afterReadAt: 6, status: .running, progress: 0.1, throttledPolls: 0, jitter: 1.2)
        #expect(abs(DurationText.seconds(jittered) - 7.2) < 1e-9)
    }

    @Test func aTaskWhoseProgressSaysItEndsBeforeTheNextReadIsReadWhenItShouldEnd() {
        var timing = PollTiming(interval: .seconds(6))
        _ = timing.wait(afterReadAt: 0, status: .running, progress: 0.5, throttledPolls: 0, jitter: 1)
        // 0.4 in 6 s: 0.067 a second, so the last 0.1 takes 1.5 s.
        let wait = timing.wait(afterReadAt: 6, status: .running, progress: 0.9, throttledPolls: 0, jitter: 1)
        #expect(abs(DurationText.seconds(wait) - 1.5) < 1e-9)
    }

    @Test func aTaskFarFromItsEndWaitsTheInterval() {
        var timing = PollTiming(interval: .seconds(6))
        _ = timing.wait(afterReadAt: 0, status: .running, progress: 0.1, throttledPolls: 0, jitter: 1)
        let wait = timing.wait(afterReadAt: 6, status: .running, progress: 0.2, throttledPolls: 0, jitter: 1.1)
        #expect(abs(DurationText.seconds(wait) - 6.6) < 1e-9)
    }

    @Test func neverSoonerThanAQuarterInterval() {
        var timing = PollTiming(interval: .seconds(6))
        _ = timing.wait(afterReadAt: 0, status: .running, progress: 0.2, throttledPolls: 0, jitter: 1)
        #expect(
            timing.wait(afterReadAt: 6, status: .running, progress: 0.99, throttledPolls: 0, jitter: 1) == .seconds(1.5)
        )
    }

    @Test func progressThatStallsOrGoesBackWaitsTheInterval() {
        var timing = PollTiming(interval: .seconds(6))
        _ = timing.wait(afterReadAt: 0, status: .running, progress: 0.8, throttledPolls: 0, jitter: 1)
        #expect(
            timing.wait(afterReadAt: 6, status: .running, progress: 0.8, throttledPolls: 0, jitter: 1) == .seconds(6))
        #expect(
            timing.wait(afterReadAt: 12, status: .running, progress: 0.7, throttledPolls: 0, jitter: 1) == .seconds(6))
        // A task that goes back to PENDING forgets its readings.
        #expect(
            timing.wait(afterReadAt: 18, status: .pending, progress: nil, throttledPolls: 0, jitter: 1) == .seconds(6))
        #expect(
            timing.wait(afterReadAt: 24, status: .running, progress: 0.95, throttledPolls: 0, jitter: 1) == .seconds(6))
    }

    @Test func throttledReadsBackOffUpToFourTimes() {
        var timing = PollTiming(interval: .seconds(1))
        let waits = (0...4).map {
            timing.wait(afterReadAt: Double($0), status: .throttled, progress: nil, throttledPolls: $0, jitter: 1)
        }
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
    }
}
