import Foundation

/// A run as the runs API answers it (`GET /v1/runs/{id}`; `GET /v1/runs` leaves out `plan`, `summary` and `record`).
struct RunView: Encodable {
    struct Progress: Encodable {
        var totalFrames: Int
        var completedCount: Int
        var failedCount: Int
        var paidTasks: Int
        var stages: [String: RunProgress.StageCounts]
        var clips: [Clip]
        var film: RunProgress.Film?
    }

    /// A clip made: its frame, where it is, and (in a detailed view) a signed link a browser can load.
    struct Clip: Encodable {
        var item: String
        var location: String
        var url: String?
    }

    struct Links: Encodable {
        var run: String
        var events: String
        var cancel: String
    }

    var id: String
    var user: String
    var session: String
    var prompt: String?
    var ratio: String?
    var concurrency: Int?
    var status: RunStatus
    var created: Date
    var updated: Date
    var error: String?
    var progress: Progress
    var events: Int
    var links: Links
    var plan: RawJSON?
    var summary: RawJSON?
    var record: RawJSON?

    init(_ run: StoredRun, detailed: Bool) {
        id = run.id
        user = run.variables.user.value
        session = run.variables.session
        prompt = run.variables.prompt
        ratio = run.variables.ratio
        concurrency = run.variables.concurrency
        status = run.status
        created = run.created
        updated = run.updated
        error = run.error
        progress = Progress(
            totalFrames: run.progress.totalFrames, completedCount: run.progress.completedCount,
            failedCount: run.progress.failedCount, paidTasks: run.progress.paidTasks, stages: run.progress.stages,
            clips: run.progress.madeClips.map { Clip(item: $0.item, location: $0.location) }, film: run.progress.film)
        events = run.eventCount
        links = Links(
            run: "/v1/runs/\(run.id)", events: "/v1/runs/\(run.id)/events", cancel: "/v1/runs/\(run.id)/cancel")
        if detailed {
            plan = RawJSON(text: run.plan)
            summary = RawJSON(text: run.summary)
            record = RawJSON(text: run.record)
        }
    }

    /// The view with a signed link to each clip made (the page shows each clip as it lands; an `s3://` location is
    /// not something a browser can load). Only detailed views are signed: a list of runs signs nothing.
    static func signed(_ run: StoredRun, presigner: Presigner) async -> RunView {
        var view = RunView(run, detailed: true)
        for index in view.progress.clips.indices {
            view.progress.clips[index].url = await presigner.link(view.progress.clips[index].location)
        }
        return view
    }
}
