import Foundation
import Manifest
import Runner

/// `runner plan`'s text: one line per item with its symbol, then the totals.
enum PlanRenderer {
    static func text(_ plan: PipelinePlan) -> String {
        var out = "Pipeline \(plan.pipeline) (session \(plan.session))\n"
        for stage in plan.stages {
            out += "\n\(stage.name) (\(stage.type)): \(stage.summary)\n"
            // Names come from folders and buckets, reasons and task ids from state files and servers: all printed
            // inert here, at the output, whatever was escaped before (escaping clean text changes nothing).
            let names = stage.items.map { InertText.escaped($0.item) }
            let width = min(40, names.map(\.count).max() ?? 0)
            for (item, name) in zip(stage.items, names) {
                let line =
                    "  \(symbol(item.action)) \(name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0))  \(detail(item))"
                out += InertText.escaped(line) + "\n"
            }
        }
        return out + "\n" + totals(plan) + "\n" + accounting(plan)
    }

    /// What earlier runs of the models really cost, and the accounts' warnings (issue #16).
    static func accounting(_ plan: PipelinePlan) -> String {
        var out = ""
        for past in plan.history {
            out += String(
                format: "Earlier %@ clips: %d, charged %.0f of an estimated %.0f credits (%.0f %%).\n", past.model,
                past.clips,
                past.chargedCredits, past.estimatedCredits, past.chargedShare * 100)
        }
        if let expected = plan.expectedCredits, plan.hasPendingWork {
            out += String(
                format: "Expected charge at those rates: about %.0f credits (%.2f USD); %.0f at most.\n",
                expected, expected * ModelCatalog.dollarsPerCredit, plan.credits)
        }
        for warning in plan.warnings { out += "warning: \(warning)\n" }
        return out
    }

    static func symbol(_ action: PipelinePlan.Item.Action) -> String {
        switch action {
        case .create: return "+"
        case .regenerate: return "~"
        case .cached: return "="
        case .resume: return ">"
        case .failed: return "!"
        case .refused: return "x"
        case .unusable: return "!"
        case .skipped: return "-"
        }
    }

    static func detail(_ item: PipelinePlan.Item) -> String {
        switch item.action {
        case .create:
            return "create" + (item.reason.map { " (\($0))" } ?? "") + (item.location.map { " -> \($0)" } ?? "")
        case .regenerate: return "again: \(item.reason ?? "inputs changed")" + (item.location.map { " -> \($0)" } ?? "")
        case .cached: return "cached" + (item.location.map { " at \($0)" } ?? "")
        case .resume: return "resume task \(item.taskID ?? "?")"
        case .failed: return "failed before: \(item.reason ?? "?") (change its inputs, or plan/apply --retry-failed)"
        case .refused: return item.reason ?? "refused"
        case .unusable: return "refused by the runner, " + (item.reason ?? "unusable")
        case .skipped: return "skipped: " + (item.reason ?? "not a frame")
        }
    }

    /// "Plan: 3 to create, 1 cached...; 75 credits (0.75 USD), about 3 min."
    static func totals(_ plan: PipelinePlan) -> String {
        guard plan.hasPendingWork else { return "Nothing to do: every item is done (\(plan.count(.cached)) cached)." }
        var parts: [String] = []
        for (action, label) in [
            (PipelinePlan.Item.Action.create, "to create"), (.regenerate, "to make again"), (.resume, "to resume"),
            (.cached, "cached"), (.failed, "failed before"), (.refused, "refused"),
            (.unusable, "unusable"), (.skipped, "skipped"),
        ] {
            let count = plan.count(action)
            if count > 0 { parts.append("\(count) \(label)") }
        }
        var line = "Plan: " + parts.joined(separator: ", ")
        line += String(format: "; %.0f credits (%.2f USD)", plan.credits, plan.dollars)
        if let limit = plan.maxCredits { line += String(format: " of a %.0f-credit budget", limit) }
        line += "; about \(Durations.approximate(plan.estimatedSeconds))."
        if let limit = plan.maxCredits, plan.credits > limit { line += " Over budget: apply will refuse to start." }
        return line
    }
}

/// Durations for people.
enum Durations {
    /// "40 s", "3 min", "2 h 5 min".
    static func approximate(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        let minutes = Int((seconds / 60).rounded())
        if minutes < 90 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// "12.3 s", "4 min 05 s".
    static func precise(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        return String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }
}
