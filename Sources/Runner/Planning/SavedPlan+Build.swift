import Foundation
import Manifest
import Stages
import Storage

/// What a saved plan records that neither the pipeline nor its plan knows: the runner that makes it, and where the
/// plan file is kept (the manifest's path is written relative to that folder).
public struct SavedPlanContext: Sendable {
    /// The runner's version (`runner --version`): another runner's plan is refused.
    public var runnerVersion: String
    /// The plan file's folder, absolute or relative to the working folder.
    public var planFolder: String

    /// The context of a plan kept in `planFolder`, made or applied by runner `runnerVersion`.
    public init(runnerVersion: String, planFolder: String) {
        self.runnerVersion = runnerVersion
        self.planFolder = planFolder
    }
}

extension SavedPlan {
    /// The saved plan of `plan`, the plan of `pipeline` made now with `retryFailed`: what `runner plan --out` writes,
    /// and what `runner apply FILE` builds again to compare with the file. Both go through here, so that the two
    /// cannot differ by how a fact was written down.
    ///
    /// Each item carries its key (nil for a stage that waits for its inputs, and for the files a frames stage refused
    /// or skipped), its decision as `runner plan --format json` shows it, and its location: an `s3://` URL, or a path,
    /// `./...` relative to the manifest's folder when inside it. Secrets are left out (`Pipeline.interpolatedValues`
    /// holds none of their values). `estimatedSeconds` is the rendered plan's; it is not compared.
    init(
        from plan: ExecutionPlan, pipeline: Pipeline, retryFailed: Bool, context: SavedPlanContext,
        estimatedSeconds: Double
    ) throws(DigestError) {
        var stages: [Stage] = []
        var models: [(provider: ProviderType, model: String)] = []
        let project = pipeline.directory
        let shown = { (location: Location) in Artifact.relative(location, to: project).description }
        for stage in plan.stages {
            let type = stage.type.rawValue
            let files: [OwnFile]? =
                stage.ownFiles.isEmpty
                ? nil
                : stage.ownFiles.map {
                    OwnFile(role: $0.role, location: shown($0.location), digest: $0.digest?.description)
                }
            switch stage.content {
            case .source(_, let selection):
                let frames = selection.frames.map { Frame(name: $0.name, digest: $0.digest.description) }
                let items = PipelinePlan.rows(of: selection).map { Item(saving: $0, key: nil, location: nil) }
                stages.append(Stage(name: stage.name, type: type, frames: frames, items: items))
            case .work(let work):
                Self.addModel(of: work.schedule, to: &models)
                var items: [Item] = []
                for (item, decision) in zip(work.workItems, work.decisions) {
                    var row = PipelinePlan.row(
                        item.name, decision, location: item.output.description, credits: item.estimatedCredits)
                    if row.action == .create, row.reason == nil { row.reason = item.note }
                    let location: Location? =
                        switch decision {
                        case .cached(let artifact, _): artifact.location
                        case .sameAs: nil
                        case .run, .resume, .failedBefore: item.output
                        }
                    items.append(Item(saving: row, key: item.key.hex, location: location.map(shown)))
                }
                stages.append(Stage(name: stage.name, type: type, files: files, items: items))
            case .waiting(let work):
                Self.addModel(of: work.schedule, to: &models)
                let item = Item(
                    item: stage.name, key: nil, action: .create, reason: work.waitingNote,
                    location: work.waitingOutput.map(shown))
                stages.append(Stage(name: stage.name, type: type, files: files, items: [item]))
            case .refused(let work, let reason):
                Self.addModel(of: work.schedule, to: &models)
                stages.append(
                    Stage(
                        name: stage.name, type: type, files: files,
                        items: [
                            Item(item: stage.name, key: nil, action: .failed, reason: reason)
                        ]))
            }
        }
        var values: [InterpolatedValue] = []
        for value in pipeline.interpolatedValues {
            guard let text = value.value else { continue }
            values.append(try InterpolatedValue(reference: value.reference, value: text))
        }
        let manifest = try ManifestSource(
            path: Self.manifestPath(of: pipeline, from: context.planFolder),
            bytes: Data(pipeline.manifestBytes), values: values)
        let credits = plan.newCredits
        self.init(
            runnerVersion: context.runnerVersion, pipeline: pipeline.name, session: pipeline.session,
            manifest: manifest, options: Options(retryFailed: retryFailed), stages: stages,
            prices: .catalog(models),
            totals: Totals(
                credits: credits, dollars: credits * ModelCatalog.dollarsPerCredit,
                estimatedSeconds: estimatedSeconds, maxCredits: pipeline.budget.maxCredits))
    }

    /// Adds the provider type and model a stage generates with, if any.
    private static func addModel(of schedule: StageSchedule, to models: inout [(provider: ProviderType, model: String)])
    {
        guard let provider = schedule.provider, let model = schedule.model else { return }
        models.append((provider.type, model))
    }

    /// The manifest's path relative to `folder` (`pipeline.yaml`, `../pipeline.yaml`).
    static func manifestPath(of pipeline: Pipeline, from folder: String) -> String {
        let manifest = URL(fileURLWithPath: pipeline.directory, isDirectory: true)
            .appendingPathComponent(URL(fileURLWithPath: pipeline.manifestPath).lastPathComponent).standardizedFileURL
            .path
        return relativePath(of: manifest, from: absolute(folder))
    }

    /// `path` relative to `folder`, both absolute: `..` for each folder to go up, then the rest.
    static func relativePath(of path: String, from folder: String) -> String {
        let target = path.split(separator: "/", omittingEmptySubsequences: true)
        let base = folder.split(separator: "/", omittingEmptySubsequences: true)
        var common = 0
        while common < target.count - 1, common < base.count, target[common] == base[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...].map(String.init)).joined(separator: "/")
    }

    /// `path` absolute against the working folder, standardized.
    static func absolute(_ path: String) -> String {
        URL(
            fileURLWithPath: path,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        )
        .standardizedFileURL.path
    }
}

extension SavedPlan.Item {
    /// A saved item of a plan row, with its key and location.
    init(saving row: PipelinePlan.Item, key: String?, location: String?) {
        self.init(
            item: row.item, key: key, action: Self.action(row.action), reason: row.reason, taskID: row.taskID,
            location: location, credits: row.credits)
    }

    /// The saved form of a plan row's action (the same words).
    static func action(_ action: PipelinePlan.Item.Action) -> SavedPlan.Action {
        switch action {
        case .create: .create
        case .regenerate: .regenerate
        case .cached: .cached
        case .resume: .resume
        case .failed: .failed
        case .refused: .refused
        case .unusable: .unusable
        case .skipped: .skipped
        }
    }
}
