import ArgumentParser
import Foundation
import Manifest
import Runner

/// `runner apply FILE`: runs the pipeline, resumably.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract:
            "Run the pipeline: generate the missing clips, merge, publish. Resumable; never pays twice for a clip.",
        discussion: """
            Work already done is skipped; a paid task a previous run started is resumed, not paid for again. \
            On a terminal a live line per stage shows progress; otherwise plain timestamped lines go to \
            standard error. --format json writes one JSON event per line to standard output instead. \
            A summary ends the run.

            Ctrl-C (or SIGTERM) stops new submissions and exits 130; tasks in flight stay recorded and the \
            next run resumes them. A second Ctrl-C exits at once.

            FILE may be a plan saved by `runner plan MANIFEST --out FILE` (a JSON file with \
            "format": "runner-saved-plan"; a file named *.json that starts with { is \
            taken for one too). Apply then reads the manifest \
            the plan names (relative to the plan file, which must lie in that manifest's project or a folder \
            RUNNER_TRUSTED_PATHS names), plans again under the lock and compares: when the manifest, a \
            value, a frame, a price, the runner's version or an earlier stage's output differs, it does \
            nothing, lists every change and exits 1; an item made meanwhile from the same inputs is noted \
            and apply goes on. It then does the plan it compared, and never commits more credits than the \
            saved plan approved. Give the same --var values as to plan (only their digests are saved); \
            --retry-failed is taken from the plan (giving it to a plan made without it is refused). \
            Credentials come from the environment, never from the plan.

            Exit status: 0 on success, 1 when work failed (or another run holds the lock, or the plan is over \
            budget, or a saved plan is not what apply would do now), 2 for an invalid manifest or saved plan, \
            130 when interrupted.

            Examples:
              runner apply pipeline.yaml
              runner apply pipeline.yaml --var user=alice --format json > events.jsonl
              runner apply plan.json --var user=alice     # a plan saved by plan --out
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
        let environment = try pipelineOptions.engineEnvironment()
        let pipeline: Pipeline
        var approval: PlanApproval?
        var retryFailed = retryFailed
        if SavedPlanFile.isSavedPlan(pipelineOptions.file) {
            let file = pipelineOptions.file
            let saved = try SavedPlanFile.load(file)
            // The plan's decisions were made with its --retry-failed: apply takes it from the plan, and refuses a flag
            // that says otherwise rather than do other work than approved.
            if retryFailed, !saved.options.retryFailed {
                throw StandardError.fail(
                    "--retry-failed: the saved plan \(InertText.escaped(file)) was made without it, so it "
                        + "approved no retry of a failed item; leave the flag out, or make the plan again with "
                        + "`runner plan MANIFEST --retry-failed --out FILE`", status: ExitStatus.invalidInput)
            }
            retryFailed = saved.options.retryFailed
            pipeline = try pipelineOptions.load(
                path: try SavedPlanFile.manifest(of: saved, file: file), requireEnvironment: true)
            try SavedPlanFile.checkPlace(of: file, pipeline: pipeline, environment: environment)
            approval = PlanApproval(
                plan: saved, file: file,
                context: SavedPlanContext(
                    runnerVersion: RunnerVersion.current, planFolder: SavedPlanFile.folder(of: file))
            ) { notes in
                for note in notes { StandardError.write("note: \(note.message)\n") }
            }
        } else {
            pipeline = try pipelineOptions.load(requireEnvironment: true)
        }
        let display: any ProgressDisplay
        switch format {
        case .json: display = JSONEventStream()
        case .text: display = isatty(STDERR_FILENO) == 1 ? LiveDisplay() : PlainLog()
        }
        let engine = PipelineEngine(
            pipeline: pipeline,
            options: EngineOptions(
                environment: environment, retryFailed: retryFailed, forceUnlock: forceUnlock,
                events: { display.handle($0) }))
        let work = Task { [approval] in try await engine.apply(approving: approval) }
        let trap = InterruptTrap { work.cancel() }
        let result = await work.result
        display.finish()
        trap.remove()
        let summary: RunSummary
        switch result {
        case .success(let value): summary = value
        case .failure(let error):
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
