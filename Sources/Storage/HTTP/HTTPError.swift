/// Why an HTTP exchange produced no response. URLs in these messages are already redacted.
public enum HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The connection failed or timed out on every attempt.
    case transport(url: String, reason: String, attempts: Int)
    /// Writing the body to its file failed.
    case file(path: String, reason: String)
    /// The request could not be prepared (signed).
    case preparation(String)
    /// The server answered something the client cannot use (e.g. ignored a Range it needed).
    case protocolViolation(url: String, reason: String)
    /// The task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .transport(let url, let reason, let attempts):
            return "\(url): \(reason) (after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
        case .file(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .preparation(let reason):
            return "cannot prepare the request: \(reason)"
        case .protocolViolation(let url, let reason):
            return "\(url): \(reason)"
        case .cancelled:
            return "cancelled"
        }
    }
}
