import Foundation
import Runner

/// What a run has done, folded from its events (and the plan it started with): the original API's `totalFrames`,
/// `completedCount` and clip list, and the runs API's progress. A resumed run's stages start again from their
/// `stageStarted` (which counts what earlier attempts finished as cached), so the fold stays right across restarts.
public struct RunProgress: Sendable, Equatable, Codable {
    /// One stage's counts.
    public struct StageCounts: Sendable, Equatable, Codable {
        public var total = 0
        public var cached = 0
        public var succeeded = 0
        public var failed = 0
        public var finished = false
    }

    /// One clip made (or found made) by a generate stage.
    public struct Clip: Sendable, Equatable, Codable {
        /// The frame's name.
        public var item: String
        /// Where the clip is (`s3://...` or a path).
        public var location: String
    }

    /// The published film.
    public struct Film: Sendable, Equatable, Codable {
        public var location: String
        public var link: String?
        public var expires: Date?
    }

    /// The generate stages' names: their items are the frames and clips.
    public var generateStages: [String] = []
    public var stages: [String: StageCounts] = [:]
    /// Clips by frame, in film order once the plan is known.
    public var clips: [Clip] = []
    /// Items served by another's clip (identical frames, made once), by the item whose clip they share.
    public var sharing: [String: [String]] = [:]
    /// Paid tasks submitted by this run (resumed ones are not new payments).
    public var paidTasks = 0
    public var film: Film?

    public init(generateStages: [String] = []) { self.generateStages = generateStages }

    /// Frames the generate stages take.
    public var totalFrames: Int { generateStages.reduce(0) { $0 + (stages[$1]?.total ?? 0) } }
    /// Clips made or found made.
    public var completedCount: Int {
        generateStages.reduce(0) { $0 + (stages[$1].map { $0.cached + $0.succeeded } ?? 0) }
    }
    /// Clips that failed.
    public var failedCount: Int { generateStages.reduce(0) { $0 + (stages[$1]?.failed ?? 0) } }

    /// Takes the plan's clip order and the clips it found made.
    public mutating func start(with plan: PipelinePlan) {
        for stage in plan.stages where generateStages.contains(stage.name) {
            for item in stage.items {
                if let leader = item.sameAs { sharing[leader, default: []].append(item.item) }
                set(item: item.item, location: nil)
            }
            for item in stage.items where item.action == .cached {
                set(item: item.item, location: item.location)
            }
        }
    }

    /// Sets `item`'s clip (added in film order when new), and that of the items its clip serves too (listed by the
    /// plan already, in their own places).
    private mutating func set(item: String, location: String?) {
        if let index = clips.firstIndex(where: { $0.item == item }) {
            if let location { clips[index].location = location }
        } else {
            clips.append(Clip(item: item, location: location ?? ""))
        }
        guard let location else { return }
        for follower in sharing[item] ?? [] {
            if let index = clips.firstIndex(where: { $0.item == follower }) { clips[index].location = location }
        }
    }

    /// The clips that exist, in film order.
    public var madeClips: [Clip] { clips.filter { !$0.location.isEmpty } }

    /// Folds one event.
    public mutating func apply(_ event: RunEvent) {
        switch event.fact {
        case .stageStarted(let stage, let total, let cached):
            stages[stage] = StageCounts(total: total, cached: cached)
        case .itemSubmitted:
            paidTasks += 1
        case .itemSucceeded(let stage, let item, let location, _):
            stages[stage, default: StageCounts()].succeeded += 1
            if generateStages.contains(stage) { set(item: item, location: location) }
        case .itemFailed(let stage, _, _, _):
            stages[stage, default: StageCounts()].failed += 1
        case .stageFinished(let stage, let total, let succeeded, _, _):
            stages[stage, default: StageCounts()].finished = true
            stages[stage, default: StageCounts()].total = total
            // The stage's own count holds the items served by another's clip, which have no event of their own.
            let counted = stages[stage, default: StageCounts()]
            stages[stage, default: StageCounts()].succeeded = max(counted.succeeded, succeeded - counted.cached)
        case .published(_, let location, let link, let expires):
            film = Film(location: location, link: link, expires: expires)
        default:
            break
        }
    }
}
