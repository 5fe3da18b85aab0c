import Foundation
import Manifest
import Stages
import Storage

/// Options of a plan or an apply.
public struct EngineOptions: Sendable {
    /// The environment that S3 settings and providers read (credentials, endpoints, base URLs).
    public var environment: [String: String]
    /// Try again items whose recorded failure is final (a moderation refusal), paying again.
    public var retryFailed: Bool
    /// Take the lock even when another run seems to hold it.
    public var forceUnlock: Bool
    /// Where events go.
    public var events: RunEventSink
    /// Where scratch files go (frames fetched for a local generator, clips before upload, films).
    public var scratchDirectory: URL
    /// Providers' windows shared with other runs in this process (`runner serve`); nil: this run's own.
    public var windows: AccountWindows?
    /// This run's name in the shared windows, which share places fairly between lanes.
    public var lane: String
    /// Told the plan `apply` made under the lock, as `plan` shows it, before anything is done (`runner serve` keeps it
    /// with the run instead of planning twice).
    public var planned: (@Sendable (PipelinePlan) -> Void)?

    /// Options; scratch files go to the system's temporary folder.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, retryFailed: Bool = false,
        forceUnlock: Bool = false, events: @escaping RunEventSink = { _ in },
        scratchDirectory: URL = FileManager.default.temporaryDirectory, windows: AccountWindows? = nil,
        lane: String = UUID().uuidString
    ) {
        self.windows = windows
        self.lane = lane
        self.environment = environment
        self.retryFailed = retryFailed
        self.forceUnlock = forceUnlock
        self.events = events
        self.scratchDirectory = scratchDirectory
    }
}

/// Problems that stop a run before or outside any one item.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The plan costs more than `budget.maxCredits`.
    case overBudget(planned: Double, limit: Double)
    /// A stage cannot work at all (`PipelineStage.checkOwnFiles`: a file of its own outside the project): `problem`
    /// names the file and the fix.
    case stage(String, problem: String)

    public var description: String {
        switch self {
        case .stage(let stage, let problem):
            return "stage `\(stage)`: \(problem)"
        case .overBudget(let planned, let limit):
            return String(
                format: "the plan needs %.0f credits (%.2f USD) but budget.maxCredits is %.0f; raise the budget, "
                    + "or generate fewer clips (a narrower `include`, a shorter `duration`)", planned,
                planned * ModelCatalog.dollarsPerCredit, limit)
        }
    }
}

/// Plans and applies a pipeline: the graph walk, checkpoints, limits, budget and events. Stage-specific
/// work (keys, provider calls, merging, uploading) lives in the Stages module.
public struct PipelineEngine: Sendable {
    public let pipeline: Pipeline
    let options: EngineOptions
    let stores: StoreCache
    /// This engine's own scratch folder, inside `options.scratchDirectory`: the only scratch files a run may write.
    let scratch: URL
    /// S3 frames found good, beside the manifest (`.runner/frame-checks.json`): read by plan and apply, written by
    /// apply only (plan writes nothing).
    let frameChecks: FrameChecks

    /// An engine for `pipeline`. Its local writes are held to the project folder (the manifest's), the state folder
    /// and its scratch folder (`WriteBoundary`).
    public init(pipeline: Pipeline, options: EngineOptions = EngineOptions()) {
        self.pipeline = pipeline
        self.options = options
        scratch = options.scratchDirectory.appendingPathComponent(
            "runner-\(pipeline.name)-\(UUID().uuidString)", isDirectory: true)
        let boundary = WriteBoundary(
            project: pipeline.directory, state: pipeline.state, scratch: scratch.path,
            trusted: WriteBoundary.trustedPaths(in: options.environment))
        stores = StoreCache(settings: pipeline.s3, environment: options.environment, boundary: boundary)
        frameChecks = FrameChecks(
            file: URL(fileURLWithPath: pipeline.directory).appendingPathComponent(".runner/frame-checks.json"))
    }

    /// Keeps the frames found good for the next run, when the file lies inside the run's boundary (a `.runner`
    /// folder that is a symbolic link out of the project is not written through).
    func keepFrameChecks() async {
        guard let file = frameChecks.file, (try? stores.checkWrite(path: file.path)) != nil else { return }
        await frameChecks.save()
    }

    /// Paid tasks noted locally before their records reach the state.
    var journal: SubmissionJournal {
        SubmissionJournal(directory: pipeline.directory, pipeline: pipeline.name, stores: stores)
    }

    /// The stages in an order where each comes after the stages it needs (stages as written, otherwise).
    var orderedStages: [Manifest.Stage] { pipeline.orderedStages }

    /// The location of every object under `prefix`, with its size: one listing instead of a HEAD per clip.
    func existingObjects(under prefix: Location) async throws -> [Location: Int64] {
        let (store, key) = try await stores.open(prefix)
        var found: [Location: Int64] = [:]
        for try await object in store.list(prefix: key) {
            found[store.location(of: object.key)] = object.size
        }
        return found
    }

    /// The object at a location, or nil when there is none (or it cannot be reached: then the item
    /// is made again rather than trusted).
    func object(at location: Location) async -> ObjectInfo? {
        guard let (store, key) = try? await stores.open(location) else { return nil }
        return try? await store.head(key)
    }

    /// Whether a recorded output (a film, a published video) is still what its record says: its size, and for a
    /// local file its SHA-256 too (one file; an S3 object is hashed where it is downloaded, before it is used).
    func check(_ output: Artifact) async -> OutputCheck {
        guard let (store, key) = try? await stores.open(output.location), let info = try? await store.head(key) else {
            return .missing
        }
        guard info.size == output.size else {
            return .differs("is \(info.size) bytes, not \(output.size) as its record says")
        }
        guard let path = store.localPath(of: key) else { return .matches }
        guard let hex = try? await BlockingWork.run({ _ in try SHA256Digest.hex(ofFile: path) }) else {
            return .missing
        }
        return output.digest == .sha256(hex) ? .matches : .differs("does not have the SHA-256 its record gives")
    }
}
