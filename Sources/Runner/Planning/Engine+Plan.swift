import Foundation
import Manifest
import Stages

extension PipelineEngine {
    /// What `apply` would do: frames listed, every item compared with its checkpoint. Reads only:
    /// no paid call and no write.
    public func plan() async throws -> PipelinePlan {
        try checkWriteLocations()
        let checkpoints = try await CheckpointStore.open(state: pipeline.state, pipeline: pipeline.name, stores: stores)
        let prepared = try await prepare(checkpoints)
        // With a key, the accounts' limits (a free read): the concurrency a stage without one runs at, and the daily allowance.
        let accounts = await readAccounts()
        var warnings: [String] = []
        var pendingByModel: [String: (provider: String, clips: Int, credits: Double)] = [:]
        var outputs: [String: [Artifact]?] = [:] // nil: not known until pending work is done
        var stages: [PipelinePlan.Stage] = []
        var seconds = 0.0
        for stage in orderedStages {
            let inputs: [Artifact]? = stage.needs.reduce([Artifact]?.some([])) { sum, need in
                guard let sum, let part = outputs[need] ?? nil else { return nil }
                return sum + part
            }
            switch stage.kind {
            case let .frames(options):
                let frames = prepared.frames[stage.name] ?? []
                let refused = prepared.refused[stage.name] ?? []
                let skipped = prepared.skipped[stage.name] ?? []
                outputs[stage.name] = frames
                stages.append(.init(name: stage.name, type: "frames",
                                    summary: "\(frames.count) frame\(frames.count == 1 ? "" : "s") at \(options.from)"
                                        + (refused.isEmpty ? "" : ", \(refused.count) refused")
                                        + (skipped.isEmpty ? "" : ", \(skipped.count) other file\(skipped.count == 1 ? "" : "s") skipped"),
                                    items: refused.map { .init(item: $0.name, action: $0.kind == .content ? .unusable : .refused, reason: $0.reason) }
                                        + skipped.map { .init(item: InertText.escaped($0.name), action: .skipped, reason: $0.reason) }))
            case let .generate(options):
                guard let clips = prepared.clips[stage.name] else { continue }
                var items: [PipelinePlan.Item] = []
                var made: [Artifact] = []
                for (work, decision) in zip(clips.works, clips.decisions) {
                    items.append(Self.planItem(work.frame.name, decision, location: work.clip.description, credits: work.estimatedCredits))
                    if case let .cached(clip, _) = decision { made.append(clip) }
                    if case let .sameAs(index, _) = decision, case let .cached(clip, _) = clips.decisions[index] { made.append(clip) }
                }
                let pending = items.filter(\.isPending).count
                let lanes = lanes(of: clips.stage, accounts: accounts)
                let submitted = items.filter { $0.action == .create || $0.action == .regenerate }
                let key = clips.stage.provider.name + "/" + options.model
                let sum = pendingByModel[key] ?? (clips.stage.provider.name, 0, 0)
                pendingByModel[key] = (sum.provider, sum.clips + submitted.count, sum.credits + submitted.reduce(0) { $0 + $1.credits })
                seconds += ceil(Double(pending) / Double(lanes)) * Self.typicalSeconds(clips.stage)
                outputs[stage.name] = pending == 0 ? made : nil
                stages.append(.init(name: stage.name, type: "generate",
                                    summary: "provider \(clips.stage.provider.name) (\(clips.stage.provider.type.rawValue)), model \(options.model)"
                                        + (options.audio ? " with audio" : "") + ", \(lanes) in flight"
                                        + (options.concurrency == nil && accounts.concurrency(provider: clips.stage.provider.name, model: options.model) != nil
                                           ? " (the account's limit)" : ""), items: items))
            case let .merge(options):
                let merge = MergeStage(name: stage.name, options: options)
                var item = PipelinePlan.Item(item: stage.name, action: .create, reason: "its clips are not all made yet")
                var film: Artifact?
                if let inputs {
                    let work = try merge.work(inputs: inputs, folder: checkpoints.folder(of: stage.name))
                    let decision = try await decide(work.key, item: stage.name, stage: stage.name, output: work.output, in: checkpoints)
                    item = Self.planItem(stage.name, decision, location: work.output.description, credits: 0)
                    if case let .cached(artifact, _) = decision { film = artifact }
                    item.reason = item.reason ?? (item.action == .create ? "\(inputs.count) clips" : nil)
                }
                if item.isPending { seconds += 2 }
                outputs[stage.name] = film.map { [$0] }
                stages.append(.init(name: stage.name, type: "merge", summary: "mode \(options.mode.rawValue), \(options.format.rawValue)", items: [item]))
            case let .publish(options):
                let publish = PublishStage(name: stage.name, options: options, project: pipeline.directory)
                var item = PipelinePlan.Item(item: stage.name, action: .create, reason: "the film is not made yet",
                                             location: options.to.description)
                if let film = inputs?.first {
                    let work = try publish.work(input: film, session: pipeline.session)
                    let decision = try await decide(work.key, item: stage.name, stage: stage.name, output: work.destination, in: checkpoints)
                    item = Self.planItem(stage.name, decision, location: work.destination.description, credits: 0)
                }
                if item.isPending { seconds += 1 }
                stages.append(.init(name: stage.name, type: "publish",
                                    summary: options.presign.map { "to \(options.to), link valid \(DurationText.format($0))" } ?? "to \(options.to)",
                                    items: [item]))
            }
        }
        let credits = prepared.newCredits
        var history: [PipelinePlan.ModelCost] = []
        var expected = 0.0
        var anyHistory = false
        for (key, pending) in pendingByModel.sorted(by: { $0.key < $1.key }) where pending.clips > 0 {
            let model = String(key.dropFirst(pending.provider.count + 1))
            if let past = prepared.costHistory[model], !history.contains(where: { $0.model == model }) { history.append(past) }
            if let past = prepared.costHistory[model] {
                anyHistory = true
                expected += pending.credits * past.chargedShare
            } else {
                expected += pending.credits
            }
            if let left = accounts.organizations[pending.provider]?.generationsLeft(for: model), pending.clips > left {
                let daily = accounts.organizations[pending.provider]?.limits[model]?.daily ?? 0
                warnings.append("\(pending.clips) \(model) clip\(pending.clips == 1 ? "" : "s") to generate, but the account has \(left) of its "
                    + "\(daily) daily \(model) generations left (a rolling 24 hours): apply will stop after \(left) and say when to rerun")
            }
        }
        for (provider, problem) in accounts.problems.sorted(by: { $0.key < $1.key }) {
            warnings.append("the account of provider `\(provider)` could not be read (\(problem)); its limits are not known, "
                + "so the manifest's concurrency (or 1) is used")
        }
        var plan = PipelinePlan(pipeline: pipeline.name, session: pipeline.session, stages: stages, credits: credits,
                                dollars: credits * ModelCatalog.dollarsPerCredit, estimatedSeconds: seconds,
                                maxCredits: pipeline.budget.maxCredits)
        plan.history = history
        plan.expectedCredits = anyHistory ? expected : nil
        plan.warnings = warnings
        return plan
    }

    /// A merge's or publish's decision: one record, one HEAD (and a hash of a local output), and only for the output
    /// at `output`, where the stage writes it: a record naming another file is not looked at.
    func decide(_ key: ContentKey, item: String, stage: String, output: Location, in checkpoints: CheckpointStore) async throws -> Decision {
        var records: [String: CheckpointRecord] = [:]
        if let record = try await checkpoints.record(stage: stage, key: key.hex) { records[key.hex] = record }
        let expected = output.standardized
        var found = OutputCheck.missing
        if let recorded = records[key.hex]?.output, recorded.location == expected { found = await check(recorded) }
        return Decider(records: records, retryFailed: options.retryFailed).decide(key: key, item: item, expectedOutput: expected) { _ in found }
    }

    static func planItem(_ name: String, _ decision: Decision, location: String, credits: Double) -> PipelinePlan.Item {
        switch decision {
        case let .cached(artifact, _):
            return .init(item: name, action: .cached, location: artifact.location.description)
        case let .run(reason):
            return .init(item: name, action: reason == nil ? .create : .regenerate, reason: reason, location: location, credits: credits)
        case let .resume(taskID, _):
            return .init(item: name, action: .resume, taskID: taskID, location: location)
        case let .failedBefore(reason):
            return .init(item: name, action: .failed, reason: reason, location: location)
        case let .sameAs(_, item):
            return .init(item: name, action: .cached, reason: "identical to \(InertText.escaped(item)): made once, used for both")
        }
    }

    /// A rough time per clip for the wall-time estimate.
    static func typicalSeconds(_ stage: GenerateStage) -> Double {
        switch stage.provider.type {
        // Runway's Gen-4 tasks typically take from half a minute to a minute and a half.
        case .runway: return 60
        // Measured here: about 0.3 s of rendering and encoding per second of 1280x720 video, and some 10 ms
        // per clip of fixed cost (tiny clips: 9,000 at 32x18 took about 100 s on two lanes).
        case .kenburns:
            let pixels = Double(stage.options.ratio.width * stage.options.ratio.height) / (1280 * 720)
            return 0.01 + 0.3 * Double(stage.options.duration) * pixels
        }
    }
}
