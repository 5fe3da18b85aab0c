import ArgumentParser
import Foundation
import Manifest
import Runner

/// `runner plan FILE`: what apply would do, and what it would cost; reads only.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would generate, skip, resume and publish, and what it would cost. No paid calls, no writes.",
        discussion: """
            Each clip is listed with its action: + generate, ~ regenerate (with the reason: prompt changed, \
            frame changed, output gone...), = cached, > resume a paid task, ! failed before. Merge and \
            publish likewise. The estimate gives credits, US dollars and a rough wall time.

            Exit status: 0 on success, 1 when the state or the frames cannot be read, 2 for an invalid \
            manifest. With --detailed-exitcode: 0 when there is nothing to do, 3 when work is pending.

            Examples:
              runner plan pipeline.yaml
              runner plan pipeline.yaml --format json | jq .credits
              runner plan pipeline.yaml --detailed-exitcode   # CI gate on pull requests
            """
    )

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "Output format: text, json or github (text plus a workflow notice).")
    var format: PlanFormat = .text

    @Flag(help: "Exit 0 when nothing would change, 3 when work is pending.")
    var detailedExitcode = false

    @Flag(help: "Plan to retry items whose recorded failure is final (a moderation refusal).")
    var retryFailed = false

    func run() async throws {
        let pipeline = try pipelineOptions.load()
        let plan: PipelinePlan
        do {
            plan = try await PipelineEngine(pipeline: pipeline, options: EngineOptions(
                environment: try pipelineOptions.engineEnvironment(), retryFailed: retryFailed)).plan()
        } catch {
            throw workFailure(error)
        }
        switch format {
        case .text: print(PlanRenderer.text(plan), terminator: "")
        case .github:
            print(PlanRenderer.text(plan), terminator: "")
            print("::notice title=runner plan \(plan.pipeline)::\(PlanRenderer.totals(plan))")
        case .json: print(JSONLines.encode(plan, pretty: true))
        }
        if detailedExitcode, plan.hasPendingWork { throw ExitCode(ExitStatus.pendingWork) }
    }
}

/// The output formats of `runner plan`.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github
}
