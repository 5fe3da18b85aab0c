import Foundation
import Runner
import Synchronization

/// On a terminal: one live line per stage (a bar; queued, throttled, running, done and failed; credits
/// so far; an ETA) and a line per clip in flight with its progress, redrawn in place five times a second.
/// Failures and the video's location are printed above the live lines, where they stay.
final class LiveDisplay: ProgressDisplay {
    struct StageState {
        var total = 0
        var cached = 0
        var succeeded = 0
        var failed = 0
        var credits = 0.0
        var started = Date()
        /// Items in flight: status and progress.
        var inFlight: [String: (status: String, progress: Double?)] = [:]
    }

    struct State {
        var order: [String] = []
        var stages: [String: StageState] = [:]
        var drawnLines = 0
        var finished = false
    }

    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)
    private let width: Int

    init(width: Int = TerminalSize.columns()) {
        self.width = max(width, 40)
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                self?.redraw()
            }
        }
        ticker.withLock { $0 = task }
    }

    func handle(_ event: RunEvent) {
        var permanent: String?
        state.withLock { state in
            guard let stage = event.stage else { return }
            if state.stages[stage] == nil {
                state.order.append(stage)
                state.stages[stage] = StageState()
            }
            let item = event.item ?? stage
            switch event.fact {
            case .stageStarted(_, let total, let cached):
                state.stages[stage]?.total = total
                state.stages[stage]?.cached = cached
                state.stages[stage]?.started = event.time
            case .itemStarted:
                state.stages[stage]?.inFlight[item] = ("starting", nil)
            case .itemResumed:
                state.stages[stage]?.inFlight[item] = ("resuming", nil)
            case .itemSubmitted(_, _, _, let credits):
                state.stages[stage]?.inFlight[item] = ("submitted", nil)
                state.stages[stage]?.credits += credits
            case .itemStatus(_, _, let status, let progress):
                state.stages[stage]?.inFlight[item] = (status.rawValue.lowercased(), progress)
            case .itemSucceeded:
                state.stages[stage]?.inFlight[item] = nil
                state.stages[stage]?.succeeded += 1
            case .itemFailed(_, _, let reason, let skipped):
                state.stages[stage]?.inFlight[item] = nil
                state.stages[stage]?.failed += 1
                permanent = "\(stage) \(item): FAILED: \(reason)" + (skipped ? " (skipped)" : "")
            case .itemStopped:
                state.stages[stage]?.inFlight[item] = nil
            case .stageNotStarted(_, _, let reason):
                permanent = "\(stage): not started: \(reason)"
            case .published(_, let location, _, _):
                permanent = "\(stage): published \(location)"
            case .warning(_, let reason):
                permanent = "\(stage): warning: \(reason)"
            case .runStarted, .stageFinished, .runFinished:
                break
            }
        }
        if let permanent { print(above: permanent) }
    }

    func finish() {
        ticker.withLock { $0?.cancel() }
        redraw()
        state.withLock { $0.finished = true }
    }

    private func print(above line: String) {
        state.withLock { state in
            StandardError.write(clear(state.drawnLines) + line + "\n")
            state.drawnLines = 0
        }
        redraw()
    }

    private func redraw() {
        state.withLock { state in
            guard !state.finished else { return }
            var lines: [String] = []
            for name in state.order {
                guard let stage = state.stages[name] else { continue }
                lines.append(stageLine(name, stage))
                for (item, flight) in stage.inFlight.sorted(by: { $0.key < $1.key }).prefix(8) {
                    let progress = flight.progress.map { String(format: " %3.0f%%", $0 * 100) } ?? ""
                    lines.append(String("    \(item): \(flight.status)\(progress)".prefix(width - 1)))
                }
                if stage.inFlight.count > 8 { lines.append("    ... and \(stage.inFlight.count - 8) more in flight") }
            }
            StandardError.write(clear(state.drawnLines) + lines.map { $0 + "\n" }.joined())
            state.drawnLines = lines.count
        }
    }

    private func stageLine(_ name: String, _ stage: StageState) -> String {
        let done = stage.cached + stage.succeeded
        let running = stage.inFlight.values.filter { $0.status != "throttled" }.count
        let throttled = stage.inFlight.count - running
        let queued = max(0, stage.total - done - stage.failed - stage.inFlight.count)
        let fraction = stage.total == 0 ? 0 : Double(done + stage.failed) / Double(stage.total)
        let bar =
            String(repeating: "#", count: Int(fraction * 20)) + String(repeating: ".", count: 20 - Int(fraction * 20))
        var line = "\(name) [\(bar)] \(done)/\(stage.total) done"
        line += ", \(queued) queued, \(throttled) throttled, \(running) running, \(stage.failed) failed"
        if stage.credits > 0 { line += String(format: ", %.0f credits", stage.credits) }
        let made = stage.succeeded + stage.failed
        let remaining = stage.total - done - stage.failed
        if made > 0, remaining > 0 {
            let perItem = Date().timeIntervalSince(stage.started) / Double(made)
            line += ", ETA " + Durations.approximate(perItem * Double(remaining))
        }
        return String(line.prefix(width - 1))
    }

    /// Moves up over the lines drawn last time and clears to the end of the screen.
    private func clear(_ lines: Int) -> String {
        lines == 0 ? "\r\u{1B}[J" : "\r\u{1B}[\(lines)A\u{1B}[J"
    }
}

/// The terminal's width, from the TIOCGWINSZ ioctl.
enum TerminalSize {
    static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }
}
