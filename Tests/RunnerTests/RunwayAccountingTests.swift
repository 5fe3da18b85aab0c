import Foundation
import Manifest
import Runner
import TestSupport
import Testing

/// What a run really cost (Runway's final `cost`, not its estimate), limits read from the account, and output links
/// that expire (issue #16): plan and apply in process, against the Runway double (one tenant per test).
@Suite struct RunwayAccountingTests {
    typealias Setup = EngineSetup

    static func setup(
        frames: Int, tenant config: [String: Any]?, stage: String = "", provider: String = "",
        top: String = ""
    ) async throws -> Setup {
        let project = try PipelineProject.make(frames: frames)
        try project.write(
            manifest: """
                version: 1
                name: accounting
                providers:
                  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 50ms\(provider) }
                \(top)
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, duration: 5, prompt: "A slow push-in", retries: 0, onFailure: skip, to: ./clips/\(stage) }
                """)
        var tenant: DoubleTenant?
        if let config { tenant = try await DoubleTenant.make(config) }
        return Setup(project: project, tenant: tenant)
    }

    /// The double's counters for the setup's tenant.
    static func stats(_ setup: Setup) async throws -> [String: Any] {
        try await #require(setup.tenant).stats()
    }

    /// The double's tasks: estimate and final cost of each.
    static func tasks(_ setup: Setup) async throws -> [[String: Any]] {
        Array((try await stats(setup)["tasks"] as? [String: [String: Any]] ?? [:]).values)
    }

    @Test func aRunWithRefundsEndsWithChargedCreditsEqualToTheFinalCosts() async throws {
        // Runway charges 60 % of each success's estimate, and refunds the failure in full.
        let setup = try await Self.setup(
            frames: 4, tenant: ["chargedFraction": 0.6, "failMarkers": ["refund-me": "INTERNAL.BAD_OUTPUT.CODE01"]],
            stage: ", overrides: [{ match: \"frame_02*\", prompt: \"refund-me\" }]")
        defer { setup.project.remove() }
        let summary = try await setup.engine().apply()
        let tasks = try await Self.tasks(setup)
        let finalCosts = tasks.compactMap { $0["cost"] as? Double }
        #expect(tasks.count == 4 && finalCosts.count == 4, "\(tasks)")
        #expect(summary.credits == finalCosts.reduce(0, +) && summary.credits == 45, "\(summary)")
        #expect(summary.estimatedCredits == 100 && summary.refundedCredits == 55)
        #expect(summary.failures.count == 1 && summary.generated == 3)

        // The JSON events carry the same figures: per clip, and for the run.
        let events = setup.log.events.withLock { $0 }
        let succeeded = events.filter { $0.kind == .itemSucceeded }
        #expect(
            succeeded.count == 3
                && succeeded.allSatisfy { event in
                    guard case .itemSucceeded(_, _, _, let charges?) = event.fact else { return false }
                    return charges.credits == 15 && charges.estimatedCredits == 25 && charges.refundedCredits == 10
                })
        let finished = try #require(events.last { $0.kind == .runFinished })
        guard case .runFinished(let reported) = finished.fact else {
            Issue.record("not a runFinished event")
            return
        }
        #expect(reported.credits == 45 && reported.estimatedCredits == 100 && reported.refundedCredits == 55)

        // Each clip's record holds the estimate and the final charge.
        let records = try #require(try await setup.engine().status().stages.first { $0.name == "clips" }).records
        for record in records {
            let failed = record.item.hasPrefix("frame_02")
            #expect(record.estimatedCredits == 25 && record.chargedCredits == (failed ? 0 : 15), "\(record)")
        }

        // The plan shows the maximum, and what earlier runs of the model really cost of it.
        try setup.project.makeFrames(1, startingAt: 5)
        let plan = try await setup.engine().plan()
        #expect(plan.credits == 50, "frame 5 and the retryable failure of frame 2, at their maximum")
        let history = try #require(plan.history.first { $0.model == "gen4_turbo" })
        #expect(history.clips == 4 && history.estimatedCredits == 100 && history.chargedCredits == 45)
        #expect(abs((plan.expectedCredits ?? 0) - 22.5) < 1e-9, "\(String(describing: plan.expectedCredits))")
    }

    @Test func aBudgetTheEstimatesWouldPassButTheChargesDoNotLetsTheRunFinish() async throws {
        // Runway charges half of each estimate (12 of 25). One clip first, so that the runner has seen what the model costs.
        let setup = try await Self.setup(
            frames: 1, tenant: ["chargedFraction": 0.5], stage: ", concurrency: 1",
            top: "budget: { maxCredits: 80 }")
        defer { setup.project.remove() }
        let first = try await setup.engine().apply()
        #expect(first.outcome == .succeeded && first.credits == 12, "\(first)")
        try setup.project.makeFrames(4, startingAt: 2)
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded && summary.generated == 4, "\(summary)")
        #expect(summary.estimatedCredits == 100, "the estimates alone would pass the budget of 80")
        #expect(summary.credits == 48 && summary.credits <= 80)
        #expect(try await Self.tasks(setup).count == 5)
    }

    @Test func aStageWithoutConcurrencyRunsAtTheAccountsLimitAndNeverPastIt() async throws {
        let setup = try await Self.setup(frames: 9, tenant: ["concurrencyLimit": 3, "generationSeconds": 0.5])
        defer { setup.project.remove() }
        let plan = try await setup.engine().plan()
        #expect(
            plan.stages.first { $0.name == "clips" }?.summary.contains("3 in flight (the account's limit)") == true,
            "\(plan.stages.map(\.summary))")
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded && summary.generated == 9, "\(summary)")
        let stats = try await Self.stats(setup)
        #expect(stats["maxInFlight"] as? Int == 3, "reaches the account's limit of 3 and never passes it: \(stats)")
        #expect(stats["everThrottled"] as? Int == 0)
    }

    @Test func aProvidersOwnConcurrencyStillCapsTheAccountsLimit() async throws {
        let setup = try await Self.setup(
            frames: 6, tenant: ["concurrencyLimit": 4, "generationSeconds": 0.4], provider: ", concurrency: 2")
        defer { setup.project.remove() }
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded)
        #expect(try await Self.stats(setup)["maxInFlight"] as? Int == 2)
    }

    @Test func aDailyLimitMetMidRunStopsSubmissionsBeforeTheFirst429() async throws {
        // 3 generations a day, 1 used earlier today: 2 left for 4 clips.
        let setup = try await Self.setup(frames: 4, tenant: ["dailyLimit": 3, "dailyGenerationsUsed": 1])
        defer { setup.project.remove() }
        let plan = try await setup.engine().plan()
        #expect(
            plan.warnings.contains {
                $0.contains(
                    "4 gen4_turbo clips to generate, but the account has 2 of its 3 daily gen4_turbo generations left")
            },
            "\(plan.warnings)")
        let summary = try await setup.engine().apply()
        let stats = try await Self.stats(setup)
        #expect(stats["tasksCreated"] as? Int == 2)
        #expect((stats["rejected"] as? [String: Int])?["429"] == nil, "a 429 was met: \(stats)")
        #expect(summary.outcome == .failed && summary.generated == 2, "\(summary)")
        let reason = summary.reason ?? ""
        #expect(
            reason.contains("daily limit of 3 gen4_turbo generations is reached") && reason.contains("rerun then"),
            "\(reason)")
    }

    @Test func anExpiredOutputLinkIsRefreshedWithNoNewTask() async throws {
        let setup = try await Self.setup(frames: 1, tenant: ["expireNextOutputLinks": 1])
        defer { setup.project.remove() }
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded && summary.generated == 1 && summary.retries == 0, "\(summary)")
        #expect(summary.refreshedLinks == 1)
        let stats = try await Self.stats(setup)
        #expect(stats["tasksCreated"] as? Int == 1 && stats["outputsRefused"] as? Int == 1, "\(stats)")
    }

    @Test func thePlanPricesEachOption() async throws {
        let project = try PipelineProject.make(frames: 2)
        let tenant = try await DoubleTenant.make()
        defer { project.remove() }
        let stages: [(name: String, line: String, credits: Double)] = [
            ("veo", "model: veo3.1, duration: 8, audio: false", 2 * 160),
            ("veoaudio", "model: veo3.1, duration: 8, audio: true", 2 * 320),
            ("fast", "model: veo3.1_fast, duration: 8", 2 * 80),
            ("fastaudio", "model: veo3.1_fast, duration: 6, audio: true", 2 * 90),
            ("turbo", "model: gen4_turbo, duration: 7", 2 * 35),
            ("gen45", "model: gen4.5, duration: 2", 2 * 24),
        ]
        try project.write(
            manifest: """
                version: 1
                name: prices
                providers:
                  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}" }
                stages:
                  frames: { type: frames, from: ./frames/ }
                \(stages.map { "  \($0.name): { type: generate, needs: [frames], provider: runway, \($0.line), prompt: \"Push in\", to: ./\($0.name)/ }" }
                .joined(separator: "\n"))
                """)
        let environment = project.environment.merging([
            "RUNWAYML_API_SECRET": tenant.key,
            "RUNWAYML_BASE_URL": tenant.base.absoluteString,
        ]) { $1 }
        let result = ManifestLoader.load(path: project.manifest, options: ManifestOptions(environment: environment))
        let pipeline = try #require(result.pipeline, "\(result.diagnostics.map(\.description))")
        let plan = try await PipelineEngine(pipeline: pipeline, options: EngineOptions(environment: environment)).plan()
        for stage in stages {
            let credits = plan.stages.first { $0.name == stage.name }?.items.reduce(0) { $0 + $1.credits }
            #expect(credits == stage.credits, "\(stage.name): \(String(describing: credits))")
        }
        #expect(plan.credits == stages.reduce(0) { $0 + $1.credits })
        #expect(plan.stages.first { $0.name == "veoaudio" }?.summary.contains("with audio") == true)
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0, "a plan pays for nothing")
    }

    @Test func validateNeverCallsTheNetworkAndModelsShowsTheAccount() async throws {
        let setup = try await Self.setup(
            frames: 1, tenant: ["concurrencyLimit": 4, "dailyLimit": 9, "dailyGenerationsUsed": 2])
        defer { setup.project.remove() }
        var project = setup.project
        project.environment = setup.environment
        let validated = try project.runner("validate", project.manifest)
        #expect(validated.status == 0, "\(validated.stderr)")
        let tenant = try #require(setup.tenant)
        #expect(
            try await tenant.stats()["requests"] as? Int == 1,
            "validate reached the API: only this stats request may count")

        let models = try project.runner("models", "--format", "json")
        #expect(models.status == 0, "\(models.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [String: Any])
        let account = try #require(json["account"] as? [String: Any])
        let veo = try #require((account["models"] as? [String: [String: Any]])?["veo3.1_fast"])
        #expect(
            veo["maxConcurrentGenerations"] as? Int == 4 && veo["maxDailyGenerations"] as? Int == 9
                && veo["dailyGenerations"] as? Int == 2)
        #expect(account["creditBalance"] as? Double == 100_000)
        let table = try project.runner("models")
        #expect(
            table.status == 0 && table.stdout.contains("credit balance: 100000")
                && table.stdout.contains("veo3.1_fast"), "\(table.stdout)")
        #expect(
            !models.stdout.contains(tenant.key) && !table.stdout.contains(tenant.key)
                && !table.stderr.contains(tenant.key))
    }
}
