import ArgumentParser
import Foundation
import Manifest
import Runner

/// `runner status FILE`: the checkpoint records, per stage and per clip.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the checkpoint state of each stage and clip: done, submitted (a paid task to resume) or failed.",
        discussion: """
            Reads the records at the manifest's state location (no frames are listed or hashed; `runner plan` \
            compares them with the frames). Shows each item's latest record and who holds the lock, if anyone.

            Exit status: 0 on success, 1 when the state cannot be read, 2 for an invalid manifest.
            """
    )

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "Output format: text or json.")
    var format: ApplyFormat = .text

    func run() async throws {
        let pipeline = try pipelineOptions.load()
        let status: PipelineStatus
        do {
            status = try await PipelineEngine(
                pipeline: pipeline,
                options: EngineOptions(
                    environment: try pipelineOptions.engineEnvironment())
            ).status()
        } catch {
            throw workFailure(error)
        }
        switch format {
        case .json: print(JSONLines.encode(status, pretty: true))
        case .text: print(text(status), terminator: "")
        }
    }

    func text(_ status: PipelineStatus) -> String {
        let formatter = ISO8601DateFormatter()
        var out = "Pipeline \(status.pipeline), state \(status.state)\n"
        if let lock = status.lock { out += "locked by \(lock.summary)\n" }
        for stage in status.stages {
            let counts = Dictionary(grouping: stage.records, by: \.state).mapValues(\.count)
            out +=
                "\n\(stage.name) (\(stage.type)): \(counts[.succeeded] ?? 0) done, \(counts[.submitted] ?? 0) submitted, "
                + "\(counts[.failed] ?? 0) failed"
                + (stage.olderRecords > 0 ? " (\(stage.olderRecords) older records)" : "") + "\n"
            // Records are state files, checked and not trusted: every text from them is printed inert.
            let items = stage.records.map { InertText.escaped($0.item) }
            let width = min(40, items.map(\.count).max() ?? 0)
            for (record, item) in zip(stage.records, items) {
                var detail: String
                switch record.state {
                case .succeeded: detail = "done       \(InertText.escaped(record.output?.location.description ?? ""))"
                case .submitted:
                    detail = "submitted  task \(InertText.escaped(record.taskID ?? "?")) (resumed by the next apply)"
                case .failed:
                    detail =
                        "failed     \(InertText.escaped(record.failure?.reason ?? ""))"
                        + (record.failure?.retryable == true ? " (retried by the next apply)" : "")
                }
                if let credits = record.credits, credits > 0 { detail += String(format: ", %.0f credits", credits) }
                out +=
                    "  \(item.padding(toLength: max(width, item.count), withPad: " ", startingAt: 0))  \(detail)  \(formatter.string(from: record.updated))\n"
            }
        }
        return out
    }
}
