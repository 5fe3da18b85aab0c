import ArgumentParser
import Foundation
import Manifest
import Runner

/// `runner plan FILE`: what apply would do, and what it would cost; reads only.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract:
            "Show what apply would generate, skip, resume and publish, and what it would cost. No paid calls, no writes.",
        discussion: """
            Each clip is listed with its action: + generate, ~ regenerate (with the reason: prompt changed, \
            frame changed, output gone...), = cached, > resume a paid task, ! failed before. Merge and \
            publish likewise. The estimate gives credits, US dollars and a rough wall time.

            --out FILE saves the plan (JSON; docs/saved-plan.schema.json): the manifest's digest, every \
            frame's digest, each item's key and decision, the prices and the runner's version, no secrets. \
            `runner apply FILE` later does exactly that plan, or refuses naming what changed. The file is \
            written at once (a temporary file renamed), only inside the project folder (the manifest's) or \
            a folder RUNNER_TRUSTED_PATHS names.

            Exit status: 0 on success, 1 when the state or the frames cannot be read, 2 for an invalid \
            manifest or an --out outside the project. With --detailed-exitcode: 0 when there is nothing to \
            do, 3 when work is pending.

            Examples:
              runner plan pipeline.yaml
              runner plan pipeline.yaml --format json | jq .credits
              runner plan pipeline.yaml --detailed-exitcode   # CI gate on pull requests
              runner plan pipeline.yaml --out plan.json       # review it, then: runner apply plan.json
            """
    )

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "Output format: text, json or github (text plus a workflow notice).")
    var format: PlanFormat = .text

    @Flag(help: "Exit 0 when nothing would change, 3 when work is pending.")
    var detailedExitcode = false

    @Flag(help: "Plan to retry items whose recorded failure is final (a moderation refusal).")
    var retryFailed = false

    @Option(
        help: ArgumentHelp("Save the plan to this file, for `runner apply FILE` to do exactly it.", valueName: "file"))
    var out: String?

    func run() async throws {
        let pipeline = try pipelineOptions.load()
        let environment = try pipelineOptions.engineEnvironment()
        let engine = PipelineEngine(
            pipeline: pipeline, options: EngineOptions(environment: environment, retryFailed: retryFailed))
        let plan: PipelinePlan
        var saved: SavedPlan?
        do {
            if let out {
                (plan, saved) = try await engine.plan(
                    saving: SavedPlanContext(
                        runnerVersion: RunnerVersion.current,
                        planFolder: SavedPlanFile.folder(of: out)))
            } else {
                plan = try await engine.plan()
            }
        } catch {
            throw workFailure(error)
        }
        if let out, let saved {
            let data: Data
            do {
                data = try saved.encoded(file: out)
            } catch {
                throw workFailure(error)
            }
            try SavedPlanFile.write(data, to: out, pipeline: pipeline, environment: environment)
        }
        switch format {
        case .text: print(PlanRenderer.text(plan), terminator: "")
        case .github:
            print(PlanRenderer.text(plan), terminator: "")
            print("::notice title=runner plan \(plan.pipeline)::\(PlanRenderer.totals(plan))")
        case .json: print(JSONLines.encode(plan, pretty: true))
        }
        if let out {
            StandardError.write(
                "Saved the plan to \(InertText.escaped(out)); apply exactly it with `runner apply \(InertText.escaped(out))`.\n"
            )
        }
        if detailedExitcode, plan.hasPendingWork { throw ExitCode(ExitStatus.pendingWork) }
    }
}

/// The output formats of `runner plan`.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github
}
