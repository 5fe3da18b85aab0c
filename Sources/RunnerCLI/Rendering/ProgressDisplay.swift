import Foundation
import Runner
import Synchronization

/// Shows apply's events as they happen.
protocol ProgressDisplay: Sendable {
    func handle(_ event: RunEvent)
    /// Called once, after the last event.
    func finish()
}

/// A line per event that matters, each with a timestamp: for logs, pipes and CI.
final class PlainLog: ProgressDisplay {
    /// The last status printed per item, so repeated polls print nothing.
    private let lastStatus = Mutex<[String: String]>([:])

    func handle(_ event: RunEvent) {
        guard let text = line(event) else { return }
        StandardError.write("\(event.time.formatted(.iso8601)) \(text)\n")
    }

    func finish() {}

    func line(_ event: RunEvent) -> String? {
        let stage = event.stage ?? "-"
        let item = event.item.map { " \($0)" } ?? ""
        switch event.fact {
        case .runStarted(let pipeline, let session):
            return "apply \(pipeline) (session \(session))"
        case .stageStarted(_, let total, let cached):
            return "\(stage): \(total) item\(total == 1 ? "" : "s"), \(cached) cached"
        case .itemStarted:
            return "\(stage)\(item): started"
        case .itemResumed(_, _, let taskID):
            return "\(stage)\(item): resuming task \(taskID ?? "?")"
        case .itemSubmitted(_, _, let taskID, let credits):
            return "\(stage)\(item): submitted task \(taskID)" + String(format: " (%.0f credits)", credits)
        case .itemStatus(_, _, let itemStatus, _):
            let status = itemStatus.rawValue
            let key = stage + "\u{1}" + (event.item ?? "")
            let changed = lastStatus.withLock { last in
                defer { last[key] = status }
                return last[key] != status
            }
            return changed ? "\(stage)\(item): \(status.lowercased())" : nil
        case .itemSucceeded(_, _, let location, _):
            return "\(stage)\(item): done -> \(location)"
        case .itemFailed(_, _, let reason, let skipped):
            return "\(stage)\(item): FAILED: \(reason)" + (skipped ? " (skipped; the stage goes on)" : "")
        case .itemStopped(_, _, let reason):
            return "\(stage)\(item): stopped: \(reason)"
        case .stageFinished(_, let total, let succeeded, let failed, let notStarted):
            return "\(stage): finished, \(succeeded) of \(total) done, \(failed) failed"
                + (notStarted > 0 ? ", \(notStarted) not started" : "")
        case .stageNotStarted(_, _, let reason):
            return "\(stage): not started: \(reason)"
        case .published(_, let location, _, _):
            return "\(stage): published \(location)"
        case .warning(_, let reason):
            return "\(stage): warning: \(reason)"
        case .runFinished(let summary):
            return "apply \(summary.outcome.rawValue)" + (summary.reason.map { ": \($0)" } ?? "")
        }
    }
}

/// The JSON event stream: one object per line on standard output.
final class JSONEventStream: ProgressDisplay {
    private let output = Mutex(())

    func handle(_ event: RunEvent) {
        let line = JSONLines.encode(event) + "\n"
        output.withLock { _ in FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    func finish() {}
}
