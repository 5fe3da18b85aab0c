import Manifest

/// What went wrong talking to Runway, as sentences a user can act on. Never holds the API key: text Runway wrote
/// (error bodies, a task's failure) is scrubbed of the key and the environment's secrets, and made inert, where it
/// enters, so the payloads are as safe to store in a checkpoint record or send in an event as the description.
public enum RunwayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400: Runway refused the request's content.
    case badRequest(message: String)
    /// 401: the key was refused.
    case unauthorized(keySource: String)
    /// 404: no such task.
    case taskNotFound(id: String)
    /// 429: the organisation's daily generation limit is reached.
    case dailyLimit(retryAfterSeconds: Double?)
    /// 5xx after every retry.
    case unavailable(status: Int, attempts: Int)
    /// A status the client does not know how to treat.
    case unexpectedStatus(status: Int, message: String)
    /// The task ended FAILED.
    case taskFailed(id: String, code: String, message: String)
    /// The task was cancelled or deleted.
    case taskCancelled(id: String)
    /// The task did not finish in time.
    case timedOut(id: String, seconds: Double)
    /// The API answered a task status this client does not know.
    case unknownTaskStatus(id: String, status: String)
    /// The answer was not the JSON the API documents.
    case malformedResponse(String)
    /// The connection failed on every attempt.
    case transport(String)
    /// The output could not be downloaded, or is not the video it should be.
    case badOutput(id: String, reason: String)
    /// The operation was cancelled.
    case cancelled
    /// An output link was refused (HTTP 403): it expired. A new read of the task gives a fresh one, free.
    case outputLinkExpired(id: String)

    /// The sentence, with any control character a name or a server's text still carries escaped. The server's
    /// words are scrubbed of secrets where they enter (`RunwayClient.failure`, `waitForTask`), before this.
    public var description: String { InertText.escaped(sentence) }

    private var sentence: String {
        switch self {
        case .badRequest(let message):
            return "Runway refused the request: \(message)"
        case .unauthorized(let keySource):
            return "Runway refused the API key (HTTP 401); check the key in \(keySource)"
        case .taskNotFound(let id):
            return "Runway has no task \(id) (HTTP 404); it may have been deleted"
        case .dailyLimit(let retryAfter):
            return "Runway's daily generation limit for your organisation is reached (HTTP 429)"
                + (retryAfter.map { "; Runway suggests retrying in \(Int($0)) s" }
                    ?? "; it resets within a day, or raise your tier")
        case .unavailable(let status, let attempts):
            return "Runway is shedding load (HTTP \(status)) and answered so \(attempts) times; try again later"
        case .unexpectedStatus(let status, let message):
            return "Runway answered HTTP \(status): \(message)"
        case .taskFailed(let id, let code, let message):
            return "Runway task \(id) failed (\(code)): \(message)"
        case .taskCancelled(let id):
            return "Runway task \(id) was cancelled"
        case .timedOut(let id, let seconds):
            return
                "Runway task \(id) did not finish within \(Int(seconds)) s; raise the provider's `timeout`, or rerun to keep waiting"
        case .unknownTaskStatus(let id, let status):
            return "Runway task \(id) has the status \(status), which this runner does not know; upgrade the runner"
        case .malformedResponse(let reason):
            return "Runway's answer was not what its API documents: \(reason)"
        case .transport(let reason):
            return "cannot reach Runway: \(reason)"
        case .badOutput(let id, let reason):
            return "the output of Runway task \(id) is unusable: \(reason)"
        case .cancelled:
            return "cancelled"
        case .outputLinkExpired(let id):
            return "the output link of Runway task \(id) expired (HTTP 403); read the task again for a fresh link"
        }
    }

    /// Whether trying again (a new request, or a new task) may succeed.
    public var isRetryable: Bool {
        switch self {
        case .dailyLimit, .unavailable, .transport, .badOutput, .timedOut: return true
        case .taskFailed(_, let code, _): return FailureCode.isRetryable(code)
        default: return false
        }
    }
}

/// Runway's task failure codes, and which are worth a new task.
public enum FailureCode {
    /// SAFETY.* (moderation) and ASSET.* / INPUT.* (unusable input) are final; INTERNAL.* (including
    /// INTERNAL.BAD_OUTPUT, a quality rejection) may succeed as a new task.
    public static func isRetryable(_ code: String) -> Bool {
        code.hasPrefix("INTERNAL")
    }
}
