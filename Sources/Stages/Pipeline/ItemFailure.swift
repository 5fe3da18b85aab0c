/// Why a work item did not finish, in the terms the engine records: stages and generators map their own errors
/// (a provider's, a media library's, a store's) to one of these.
public struct ItemFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the engine does with the failure.
    public enum Kind: Sendable, Equatable {
        /// The provider failed or refused the work: recorded as `failed`. When `retryable` (an internal error, a
        /// broken output) the next run tries again; otherwise (a moderation refusal) only with `--retry-failed`.
        case provider(retryable: Bool)
        /// Something outside the provider failed (a download, an upload, the state): nothing is recorded over a paid
        /// task's `submitted` record, so the next run resumes the task instead of paying again.
        case local
        /// Cancelled (Ctrl-C, the run stopping): nothing new is recorded; the next run picks the item up.
        case cancelled
        /// A paid submission was refused (`PaymentVerdict.refused`): the item is left for a later run.
        case notPaid
    }

    public var kind: Kind
    /// A sentence naming what failed and, where there is one, what to do.
    public var reason: String
    /// The provider's task the failure concerns, when there is one.
    public var taskID: String?

    /// A failure of `kind`.
    public init(_ kind: Kind, reason: String, taskID: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.taskID = taskID
    }

    /// A cancellation.
    public static let cancelled = ItemFailure(.cancelled, reason: "cancelled")

    /// The reason, with the task it concerns when the reason does not name it already.
    public var description: String {
        guard let taskID, !reason.contains(taskID) else { return reason }
        return "\(reason) (task \(taskID))"
    }
}
