import Foundation

/// A task as `GET /v1/tasks/{id}` describes it. Unknown fields are ignored; an unknown status is an error.
public struct RunwayTask: Sendable, Equatable {
    /// Where a task is in its life.
    public enum Status: String, Sendable, CaseIterable {
        case pending = "PENDING"
        case throttled = "THROTTLED"
        case running = "RUNNING"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
        case cancelled = "CANCELLED"

        /// Whether the task will change no more.
        public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    public let id: String
    public let status: Status
    /// 0...1 while RUNNING.
    public let progress: Double?
    /// The clip URLs once SUCCEEDED; they expire, so download them at once.
    public let output: [String]
    /// Human text when FAILED.
    public let failure: String?
    /// Machine code when FAILED.
    public let failureCode: String?
    /// While PENDING, THROTTLED or RUNNING: `estimatedCost.credits`, the most the task can cost.
    public let estimatedCredits: Double?
    /// Once SUCCEEDED, FAILED or CANCELLED: `cost.credits`, the final charge (0 when refunded).
    public let chargedCredits: Double?

    public init(
        id: String, status: Status, progress: Double? = nil, output: [String] = [], failure: String? = nil,
        failureCode: String? = nil, estimatedCredits: Double? = nil, chargedCredits: Double? = nil
    ) {
        self.estimatedCredits = estimatedCredits
        self.chargedCredits = chargedCredits
        self.id = id
        self.status = status
        self.progress = progress
        self.output = output
        self.failure = failure
        self.failureCode = failureCode
    }

    /// Decodes a task object.
    static func decode(_ data: Data) throws(RunwayError) -> RunwayTask {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedResponse("a task is not a JSON object")
        }
        guard let id = object["id"] as? String, let statusText = object["status"] as? String else {
            throw .malformedResponse("a task has no id or status")
        }
        guard let status = Status(rawValue: statusText) else { throw .unknownTaskStatus(id: id, status: statusText) }
        return RunwayTask(
            id: id, status: status, progress: (object["progress"] as? NSNumber)?.doubleValue,
            output: object["output"] as? [String] ?? [], failure: object["failure"] as? String,
            failureCode: object["failureCode"] as? String,
            estimatedCredits: credits(object["estimatedCost"]), chargedCredits: credits(object["cost"]))
    }

    /// `{"credits": n}`'s n, when it is a finite, non-negative number.
    private static func credits(_ value: Any?) -> Double? {
        guard let number = ((value as? [String: Any])?["credits"] as? NSNumber)?.doubleValue, number.isFinite,
            number >= 0
        else { return nil }
        return number
    }
}
