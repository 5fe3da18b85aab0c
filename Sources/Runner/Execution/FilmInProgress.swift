import Foundation
import Manifest
import Stages

/// The film made while its clips are being made: the merge stage that directly follows a generate stage (it needs
/// that stage and nothing else) is fed each clip the moment it is recorded, so that when the last clip lands the
/// film is as good as made (`MergeStage.Session`). The engine needs three points for it, each one call here:
///  1. `startFilm`: when a generate stage starts, with its clips' decisions (cached clips land at once);
///  2. `clipRecorded`: when a clip's outcome is known (made and recorded, failed, or not done);
///  3. `filmSession(for:)` / `closeFilm`: when the merge stage makes its film, and after it.
/// The merge stage keeps its own key, decision and records: the session is only ever used when it holds exactly the
/// clips the stage gets, in order, and anything else (a failed or skipped clip, an interruption, a clip that would
/// make the merge re-encode) falls back to the merge made as before.
final class FilmsInProgress: Sendable {
    private let sessions = Guarded<[String: Entry]>([:])

    /// A merge stage's session and which of its places repeat another (identical frames: one clip serves both).
    struct Entry: Sendable {
        let session: MergeStage.Session
        /// For a leader's place, the places of the identical frames whose clip it is.
        let followers: [Int: [Int]]
    }

    init() {}

    fileprivate func start(_ entry: Entry, for generate: String) { sessions.update { $0[generate] = entry } }

    fileprivate func entry(forGenerate generate: String) -> Entry? { sessions.value[generate] }

    /// Takes the session of the merge stage `merge` out (it is used once).
    fileprivate func take(merge: String) -> MergeStage.Session? {
        sessions.update { all in
            guard let (key, entry) = all.first(where: { $0.value.session.stage == merge }) else { return nil }
            all[key] = nil
            return entry.session
        }
    }
}

extension ApplyRun {
    /// Hook 1: starts the film of the merge stage fed by `clips`' stage alone, when this run makes some of its clips
    /// (with every clip cached, the merge decides from its own record as before) and none failed before (the film
    /// would lack it). Cached clips land at once. `outcomes` are the clips' outcomes known at the start.
    func startFilm(_ clips: PreparedPipeline.Clips, outcomes: [ClipOutcome?]) {
        let name = clips.stage.name
        let followers = pipeline.stages.filter { $0.needs == [name] }
        guard followers.count == 1, let stage = followers.first, case let .merge(options) = stage.kind else { return }
        var duplicates: [Int: [Int]] = [:]
        var pending = false
        for (index, decision) in clips.decisions.enumerated() {
            switch decision {
            case .run, .resume: pending = true
            case .failedBefore: return
            case let .sameAs(leader, _): duplicates[leader, default: []].append(index)
            case .cached: break
            }
        }
        guard pending, let session = MergeStage(name: stage.name, options: options)
            .session(clipCount: clips.works.count, stores: engine.stores, workDirectory: scratch) else { return }
        films.start(.init(session: session, followers: duplicates), for: name)
        for (index, outcome) in outcomes.enumerated() {
            guard case let .made(artifact, _)? = outcome else { continue }
            Task { await session.land(index, clip: artifact) }
            for follower in duplicates[index] ?? [] { Task { await session.land(follower, clip: artifact) } }
        }
    }

    /// Hook 2: the clip at `index` of generate stage `stage` ended with `outcome` (its record written when made).
    func clipRecorded(_ index: Int, of stage: String, outcome: ClipOutcome) async {
        guard let entry = films.entry(forGenerate: stage) else { return }
        guard case let .made(artifact, _) = outcome else {
            return await entry.session.abandon("clip \(index + 1) was not made")
        }
        for place in [index] + (entry.followers[index] ?? []) { await entry.session.land(place, clip: artifact) }
    }

    /// Hook 3: the session that has made (or is making) merge stage `merge`'s film, taken for the stage to use once.
    func filmSession(for merge: String) -> MergeStage.Session? {
        films.take(merge: merge)
    }
}
