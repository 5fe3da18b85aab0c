/// A problem with the server's settings or a request, each a sentence naming the thing and the fix. `status` is the
/// HTTP status an answer carries for it.
public enum ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting (flag, environment variable or file) is wrong: what it is, and how to write it.
    case setting(String, String)
    /// The template cannot serve: why, and the fix.
    case template(String)
    /// A request field is missing or wrong: the field, and what it must be.
    case field(String, String)
    /// The caller may not act for this user (or the thing does not exist for them).
    case forbidden(String)
    /// No such run (or not the caller's).
    case notFound(String)
    /// The run failed: its reason.
    case runFailed(String)
    /// Storage or another service failed.
    case upstream(String)

    public var description: String {
        switch self {
        case .setting(let what, let fix): return "\(what): \(fix)"
        case .template(let text): return text
        case .field(let field, let fix): return "`\(field)` \(fix)"
        case .forbidden(let text): return text
        case .notFound(let text): return text
        case .runFailed(let text): return text
        case .upstream(let text): return text
        }
    }

    /// The HTTP status of an answer about this problem.
    public var status: Int {
        switch self {
        case .setting, .template, .upstream: return 500
        case .field: return 400
        case .forbidden: return 403
        case .notFound: return 404
        case .runFailed: return 500
        }
    }
}
