import ArgumentParser
import Foundation
import Manifest
import Runner

/// `runner apply FILE`: runs the pipeline, resumably.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Run the pipeline: generate the missing clips, merge, publish. Resumable; never pays twice for a clip.",
        discussion: """
            Work already done is skipped; a paid task a previous run started is resumed, not paid for again. \
            On a terminal a live line per stage shows progress; otherwise plain timestamped lines go to \
            standard error. --format json writes one JSON event per line to standard output instead. \
            A summary ends the run.

            Ctrl-C (or SIGTERM) stops new submissions and exits 130; tasks in flight stay recorded and the \
            next run resumes them. A second Ctrl-C exits at once.

            Exit status: 0 on success, 1 when work failed (or another run holds the lock, or the plan is over \
            budget), 2 for an invalid manifest, 130 when interrupted.

            Examples:
              runner apply pipeline.yaml
              runner apply pipeline.yaml --var user=alice --format json > events.jsonl
            """
    )

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "Output: text (live on a terminal, plain lines otherwise) or json (an event stream).")
    var format: ApplyFormat = .text

    @Flag(help: "Try again items whose recorded failure is final (a moderation refusal); they are paid for again.")
    var retryFailed = false

    @Flag(help: "Take the pipeline's lock even if another run seems to hold it. Only when that run is surely gone.")
    var forceUnlock = false

    func run() async throws {
        let pipeline = try pipelineOptions.load(requireEnvironment: true)
        let display: any ProgressDisplay
        switch format {
        case .json: display = JSONEventStream()
        case .text: display = isatty(STDERR_FILENO) == 1 ? LiveDisplay() : PlainLog()
        }
        let engine = PipelineEngine(pipeline: pipeline, options: EngineOptions(
            environment: try pipelineOptions.engineEnvironment(), retryFailed: retryFailed, forceUnlock: forceUnlock,
            events: { display.handle($0) }))
        let work = Task { try await engine.apply() }
        let trap = InterruptTrap { work.cancel() }
        let result = await work.result
        display.finish()
        trap.remove()
        let summary: RunSummary
        switch result {
        case let .success(value): summary = value
        case let .failure(error):
            if work.isCancelled { throw ExitCode(ExitStatus.interrupted) }
            throw workFailure(error)
        }
        if format == .text { print(SummaryTable.text(summary), terminator: "") }
        switch summary.outcome {
        case .succeeded: return
        case .failed: throw ExitCode(ExitStatus.failure)
        case .interrupted: throw ExitCode(ExitStatus.interrupted)
        }
    }
}

/// The output formats of `runner apply`.
enum ApplyFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
