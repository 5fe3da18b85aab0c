/// What a finished generation cost and how it went.
public struct GenerationResult: Sendable, Equatable {
    /// The provider's task, when there is one.
    public var taskID: String?
    /// Credits this generation's tasks were charged (Runway's final `cost`), or their estimate where no final cost is known.
    public var credits: Double
    /// The estimates (the most each task could cost) of this generation's tasks.
    public var estimatedCredits: Double = 0
    /// Whether every task's final cost is known (`credits` is then exactly what was charged).
    public var chargesKnown = true
    /// Expired output links replaced by fresh ones.
    public var linkRefreshes = 0
    /// POSTs retried after their answer was lost: each may have created (and billed) another task.
    public var ambiguousRetries: Int
    /// Tasks that failed retryably before the one that made the clip.
    public var failedAttempts: Int

    public init(taskID: String?, credits: Double, ambiguousRetries: Int = 0, failedAttempts: Int = 0) {
        self.taskID = taskID
        self.credits = credits
        self.ambiguousRetries = ambiguousRetries
        self.failedAttempts = failedAttempts
    }
}
