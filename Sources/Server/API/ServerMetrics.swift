import Synchronization

/// The server's counters, exposed at `/metrics` in Prometheus' text format (version 0.0.4). No user names or ids
/// appear in them: a metric is not a way to learn who uses the server.
public final class ServerMetrics: Sendable {
    private struct Counts {
        var requests: [Int: Int] = [:]
        var runsStarted = 0
        var runsFinished: [RunStatus: Int] = [:]
        var tasksSubmitted = 0
        var itemsMade = 0
        var rateLimited = 0
        var unauthorized = 0
    }

    private let counts = Mutex(Counts())

    public init() {}

    func request(status: Int) { counts.withLock { $0.requests[status, default: 0] += 1 } }
    func runStarted() { counts.withLock { $0.runsStarted += 1 } }
    func runFinished(_ status: RunStatus) { counts.withLock { $0.runsFinished[status, default: 0] += 1 } }
    func taskSubmitted() { counts.withLock { $0.tasksSubmitted += 1 } }
    func itemMade() { counts.withLock { $0.itemsMade += 1 } }
    func rateLimited() { counts.withLock { $0.rateLimited += 1 } }
    func unauthorized() { counts.withLock { $0.unauthorized += 1 } }

    /// The exposition, with `active` runs in progress now.
    func text(active: Int) -> String {
        let counts = counts.withLock { $0 }
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric(
            "runner_http_requests_total", "counter", "HTTP requests answered, by status code.",
            counts.requests.keys.sorted().map { ("{code=\"\($0)\"}", counts.requests[$0] ?? 0) })
        metric("runner_runs_started_total", "counter", "Runs started.", [("", counts.runsStarted)])
        metric(
            "runner_runs_finished_total", "counter", "Runs that ended, by status.",
            RunStatus.allCases.filter(\.isFinal).map { ("{status=\"\($0.rawValue)\"}", counts.runsFinished[$0] ?? 0) })
        metric("runner_runs_active", "gauge", "Runs queued or running now.", [("", active)])
        metric(
            "runner_tasks_submitted_total", "counter", "Paid provider tasks submitted.", [("", counts.tasksSubmitted)])
        metric("runner_items_made_total", "counter", "Items (clips, films) made.", [("", counts.itemsMade)])
        metric(
            "runner_requests_limited_total", "counter", "Requests refused for their rate (429).",
            [("", counts.rateLimited)])
        metric(
            "runner_requests_unauthorized_total", "counter", "Requests refused for their token (401).",
            [("", counts.unauthorized)])
        return lines.joined(separator: "\n") + "\n"
    }
}
