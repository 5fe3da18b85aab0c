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
        switch event.kind {
        case .runStarted:
            return "apply \(event.pipeline ?? "") (session \(event.session ?? ""))"
        case .stageStarted:
            return "\(stage): \(event.total ?? 0) item\(event.total == 1 ? "" : "s"), \(event.cached ?? 0) cached"
        case .itemStarted:
            return "\(stage)\(item): started"
        case .itemResumed:
            return "\(stage)\(item): resuming task \(event.taskID ?? "?")"
        case .itemSubmitted:
            return "\(stage)\(item): submitted task \(event.taskID ?? "?")" + (event.credits.map { String(format: " (%.0f credits)", $0) } ?? "")
        case .itemStatus:
            let status = event.status ?? "?"
            let key = stage + "\u{1}" + (event.item ?? "")
            let changed = lastStatus.withLock { last in
                defer { last[key] = status }
                return last[key] != status
            }
            return changed ? "\(stage)\(item): \(status.lowercased())" : nil
        case .itemSucceeded:
            return "\(stage)\(item): done -> \(event.location ?? "?")"
        case .itemFailed:
            return "\(stage)\(item): FAILED: \(event.reason ?? "?")" + (event.skipped == true ? " (skipped; the stage goes on)" : "")
        case .stageFinished:
            return "\(stage): finished, \(event.succeeded ?? 0) of \(event.total ?? 0) done, \(event.failed ?? 0) failed"
        case .published:
            return "\(stage): published \(event.location ?? "?")"
        case .warning:
            return "\(stage): warning: \(event.reason ?? "?")"
        case .runFinished:
            return "apply \(event.outcome ?? "")" + (event.reason.map { ": \($0)" } ?? "")
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
