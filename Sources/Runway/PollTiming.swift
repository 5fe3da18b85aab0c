/// When to read a task again. Every `pollInterval` (up to 20 % later, so that many tasks do not poll in step; up to
/// 4x while THROTTLED), or sooner when a RUNNING task's progress says it will be done sooner: from two readings of
/// its progress the time left is estimated, and the next read is then, but never sooner than a quarter interval
/// after the last. A task read only every interval is seen finished half an interval late on average (6 s polls on
/// 30 s tasks: a tenth of the account's time idle); read when its progress says, it is seen within a few percent of
/// that. Pure (no clock, no sleep): `RunwayClient.waitForTask` supplies both.
struct PollTiming: Sendable {
    /// The poll interval (`pollInterval`).
    let interval: Duration
    /// The last RUNNING reading: when (seconds on the caller's clock) and its progress (0 to 1).
    private var lastRunning: (time: Double, progress: Double)?

    init(interval: Duration) {
        self.interval = interval
    }

    /// The shortest wait between two reads, as a fraction of the interval.
    static let floorFraction = 0.25

    /// The wait after a read at `time` (seconds) that found `status` with `progress`; `throttledPolls` counts the
    /// reads in a row that found the task THROTTLED; `jitter` is in 1.0...1.2.
    mutating func wait(
        afterReadAt time: Double, status: RunwayTask.Status, progress: Double?, throttledPolls: Int, jitter: Double
    ) -> Duration {
        let backoff = Double(min(1 << min(throttledPolls, 2), 4))
        let regular = interval * (backoff * jitter)
        guard status == .running, let progress, progress > 0, progress < 1 else {
            lastRunning = nil
            return regular
        }
        defer { lastRunning = (time, progress) }
        guard let last = lastRunning, progress > last.progress, time > last.time else { return regular }
        let rate = (progress - last.progress) / (time - last.time)
        let left = Duration.seconds((1 - progress) / rate)
        return max(min(left, regular), interval * Self.floorFraction)
    }
}
