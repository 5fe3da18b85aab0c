/// What making a work item left: its output, and how its paid work went.
public struct MadeItem: Sendable {
    /// The output.
    public var artifact: Artifact
    /// The provider's task that made it, when one did.
    public var taskID: String?
    /// Whether every task's final charge is known.
    public var chargesKnown = true
    /// Tasks that failed retryably before the one that made it.
    public var failedAttempts = 0
    /// POSTs retried after their answer was lost: each may have created another task.
    public var ambiguousRetries = 0

    /// An output made without a provider.
    public init(_ artifact: Artifact) {
        self.artifact = artifact
    }
}
