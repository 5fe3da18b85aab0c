import Foundation
import Synchronization
import Runner

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
        case let .runStarted(pipeline, session):
            return "apply \(pipeline) (session \(session))"
        case let .stageStarted(_, total, cached):
            return "\(stage): \(total) item\(total == 1 ? "" : "s"), \(cached) cached"
        case .itemStarted:
            return "\(stage)\(item): started"
        case let .itemResumed(_, _, taskID):
            return "\(stage)\(item): resuming task \(taskID ?? "?")"
        case let .itemSubmitted(_, _, taskID, credits):
            return "\(stage)\(item): submitted task \(taskID)" + String(format: " (%.0f credits)", credits)
        case let .itemStatus(_, _, itemStatus, _):
            let status = itemStatus.rawValue
            let key = stage + "\u{1}" + (event.item ?? "")
            let changed = lastStatus.withLock { last in
                defer { last[key] = status }
                return last[key] != status
            }
            return changed ? "\(stage)\(item): \(status.lowercased())" : nil
        case let .itemSucceeded(_, _, location, _):
            return "\(stage)\(item): done -> \(location)"
        case let .itemFailed(_, _, reason, skipped):
            return "\(stage)\(item): FAILED: \(reason)" + (skipped ? " (skipped; the stage goes on)" : "")
        case let .itemStopped(_, _, reason):
            return "\(stage)\(item): stopped: \(reason)"
        case let .stageFinished(_, total, succeeded, failed, notStarted):
            return "\(stage): finished, \(succeeded) of \(total) done, \(failed) failed"
                + (notStarted > 0 ? ", \(notStarted) not started" : "")
        case let .stageNotStarted(_, _, reason):
            return "\(stage): not started: \(reason)"
        case let .published(_, location, _, _):
            return "\(stage): published \(location)"
        case let .warning(_, reason):
            return "\(stage): warning: \(reason)"
        case let .runFinished(summary):
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
