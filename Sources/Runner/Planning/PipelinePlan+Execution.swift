import Foundation
import Manifest
import Stages

extension PipelinePlan {
    /// `plan` as `runner plan` shows it: a row per item, a line per stage, the credits, the time and the accounts'
    /// warnings.
    init(_ plan: ExecutionPlan, accounts: AccountLimits, engine: PipelineEngine) {
        let pipeline = engine.pipeline
        var pendingByModel: [String: (provider: String, model: String, clips: Int, credits: Double)] = [:]
        var stages: [Stage] = []
        var seconds = 0.0
        for stage in plan.stages {
            switch stage.content {
            case .source(let source, let selection):
                stages.append(
                    Stage(
                        name: stage.name, type: stage.type.rawValue, summary: source.summary(of: selection),
                        items: Self.rows(of: selection)))
            case .waiting(let work):
                let lanes = engine.lanes(of: work.schedule, accounts: accounts)
                let row = Item(
                    item: stage.name, action: .create, reason: work.waitingNote,
                    location: work.waitingOutput?.description)
                seconds += work.schedule.typicalSeconds
                stages.append(
                    Stage(
                        name: stage.name, type: stage.type.rawValue,
                        summary: work.summary(
                            lanes: lanes, fromAccount: engine.lanesFromAccount(work.schedule, accounts: accounts)),
                        items: [row]))
            case .refused(let work, let reason):
                let lanes = engine.lanes(of: work.schedule, accounts: accounts)
                stages.append(
                    Stage(
                        name: stage.name, type: stage.type.rawValue,
                        summary: work.summary(
                            lanes: lanes, fromAccount: engine.lanesFromAccount(work.schedule, accounts: accounts)),
                        items: [Item(item: stage.name, action: .failed, reason: reason)]))
            case .work(let work):
                let summary = Self.summary(of: work, accounts: accounts, engine: engine)
                var rows: [Item] = []
                for (item, decision) in zip(work.workItems, work.decisions) {
                    var row = Self.row(
                        item.name, decision, location: item.output.description, credits: item.estimatedCredits)
                    if row.action == .create, row.reason == nil { row.reason = item.note }
                    rows.append(row)
                }
                let lanes = engine.lanes(of: work.schedule, accounts: accounts)
                seconds += ceil(Double(rows.filter(\.isPending).count) / Double(lanes)) * work.schedule.typicalSeconds
                if let provider = work.schedule.provider, let model = work.schedule.model {
                    let submitted = rows.filter { $0.action == .create || $0.action == .regenerate }
                    let key = provider.name + "/" + model
                    let sum = pendingByModel[key] ?? (provider.name, model, 0, 0)
                    pendingByModel[key] = (
                        sum.provider, model, sum.clips + submitted.count,
                        sum.credits + submitted.reduce(0) { $0 + $1.credits }
                    )
                }
                stages.append(Stage(name: stage.name, type: stage.type.rawValue, summary: summary, items: rows))
            }
        }
        let credits = plan.newCredits
        self.init(
            pipeline: pipeline.name, session: pipeline.session, stages: stages, credits: credits,
            dollars: credits * ModelCatalog.dollarsPerCredit, estimatedSeconds: seconds,
            maxCredits: pipeline.budget.maxCredits)
        var expected = 0.0
        var anyHistory = false
        for (_, pending) in pendingByModel.sorted(by: { $0.key < $1.key }) where pending.clips > 0 {
            let model = pending.model
            if let past = plan.costHistory[model], !history.contains(where: { $0.model == model }) {
                history.append(past)
            }
            if let past = plan.costHistory[model] {
                anyHistory = true
                expected += pending.credits * past.chargedShare
            } else {
                expected += pending.credits
            }
            if let left = accounts.organizations[pending.provider]?.generationsLeft(for: model), pending.clips > left {
                let daily = accounts.organizations[pending.provider]?.limits[model]?.daily ?? 0
                warnings.append(
                    "\(pending.clips) \(model) clip\(pending.clips == 1 ? "" : "s") to generate, but the account has \(left) of its "
                        + "\(daily) daily \(model) generations left (a rolling 24 hours): apply will stop after \(left) and say when to rerun"
                )
            }
        }
        for (provider, problem) in accounts.problems.sorted(by: { $0.key < $1.key }) {
            warnings.append(
                "the account of provider `\(provider)` could not be read (\(problem)); its limits are not known, "
                    + "so the manifest's concurrency (or 1) is used")
        }
        expectedCredits = anyHistory ? expected : nil
    }

    /// A work stage's line, with the items it runs at once.
    private static func summary(of work: any PlannedWork, accounts: AccountLimits, engine: PipelineEngine) -> String {
        work.summary(
            lanes: engine.lanes(of: work.schedule, accounts: accounts),
            fromAccount: engine.lanesFromAccount(work.schedule, accounts: accounts))
    }

    /// A source stage's rows: the frames it refused and the files it skipped.
    static func rows(of selection: FrameSelection) -> [Item] {
        selection.refused.map {
            Item(item: $0.name, action: $0.kind == .content ? .unusable : .refused, reason: $0.reason)
        }
            + selection.skipped.map { Item(item: InertText.escaped($0.name), action: .skipped, reason: $0.reason) }
    }

    /// One item's row for its decision.
    static func row(_ name: String, _ decision: Decision, location: String, credits: Double) -> Item {
        switch decision {
        case .cached(let artifact, _):
            return Item(item: name, action: .cached, location: artifact.location.description)
        case .run(let reason):
            return Item(
                item: name, action: reason == nil ? .create : .regenerate, reason: reason, location: location,
                credits: credits)
        case .resume(let taskID, _):
            return Item(item: name, action: .resume, taskID: taskID, location: location)
        case .failedBefore(let reason):
            return Item(item: name, action: .failed, reason: reason, location: location)
        case .sameAs(_, let item):
            var row = Item(
                item: name, action: .cached, reason: "identical to \(InertText.escaped(item)): made once, used for both"
            )
            row.sameAs = item
            return row
        }
    }
}
