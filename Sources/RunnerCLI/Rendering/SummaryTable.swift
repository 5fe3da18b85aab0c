import Foundation
import Runner

/// The table apply ends with.
enum SummaryTable {
    static func text(_ summary: RunSummary) -> String {
        var rows: [(String, String)] = [
            ("clips generated", "\(summary.generated)"),
            ("clips skipped", "\(summary.skipped) (done before)"),
            ("clips resumed", "\(summary.resumed)"),
            ("failed", "\(summary.failures.count)"),
        ]
        if !summary.stagesRun.isEmpty { rows.append(("stages run", summary.stagesRun.joined(separator: ", "))) }
        if !summary.stagesSkipped.isEmpty {
            rows.append(("stages skipped", summary.stagesSkipped.joined(separator: ", ") + " (done before)"))
        }
        if summary.notStarted > 0 { rows.append(("not started", "\(summary.notStarted)")) }
        rows.append(
            (
                "credits",
                String(format: "%.0f charged (%.2f USD)", summary.credits, summary.dollars)
                    + (summary.estimatedCredits > 0
                        ? String(
                            format: "; %.0f estimated, %.0f refunded", summary.estimatedCredits, summary.refundedCredits
                        ) : "")
            ))
        if summary.refreshedLinks > 0 {
            rows.append(("refreshed links", "\(summary.refreshedLinks) (expired output links read again; no new task)"))
        }
        if summary.retries > 0 { rows.append(("retried tasks", "\(summary.retries)")) }
        if summary.ambiguousPosts > 0 {
            rows.append(("ambiguous POSTs", "\(summary.ambiguousPosts) (each may have created an extra task)"))
        }
        rows.append(("wall time", Durations.precise(summary.wallSeconds)))
        if let output = summary.output { rows.append(("video", output)) }
        if let sheet = summary.contactSheet { rows.append(("contact sheet", sheet)) }
        if let record = summary.recordLocation { rows.append(("record", record)) }
        if let link = summary.link {
            rows.append(("link", link))
            if let expires = summary.linkExpires {
                rows.append(("link expires", ISO8601DateFormatter().string(from: expires)))
            }
        }
        let width = rows.map(\.0.count).max() ?? 0
        var out = "\n" + headline(summary) + "\n"
        for (name, value) in rows {
            out += "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)\n"
        }
        for warning in summary.warnings { out += "  warning: \(warning)\n" }
        for failure in summary.failures {
            out += "  ! \(failure.stage) \(failure.item): \(failure.reason)\(failure.skipped ? " (skipped)" : "")\n"
        }
        return out
    }

    static func headline(_ summary: RunSummary) -> String {
        switch summary.outcome {
        case .succeeded:
            if summary.generated == 0, summary.resumed == 0, summary.stagesRun.isEmpty {
                return "Apply complete: nothing to do, every item was done before."
            }
            return "Apply complete."
        case .failed: return "Apply failed: \(summary.reason ?? "see above")."
        case .interrupted: return "Apply interrupted: \(summary.reason ?? "")."
        }
    }
}
