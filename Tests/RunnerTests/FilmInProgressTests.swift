import Foundation
import Manifest
import Media
import Runner
import Synchronization
import TestSupport
import Testing

/// The film merged while its clips are made (a merge stage fed its clips as they are recorded, `Executor+Streaming`):
/// in process, the same film as a merge at the end;
/// a clip left out (`onFailure: skip`) or an interrupted run falls back to the merge at the end, and the rerun makes
/// the right film.
@Suite struct FilmInProgressTests {
    /// How many MERGING statuses the merge stage `stage` reported: one per clip when it merged at the end, one in all
    /// when the film was made as the clips landed.
    static func mergingStatuses(_ log: EventLog, stage: String = "film") -> Int {
        log.all.filter {
            if case .itemStatus(let of, _, .merging, _) = $0.fact { return of == stage }
            return false
        }.count
    }

    /// The clips of stage `clips` as its records name them, in frame order.
    func clipPaths(_ project: PipelineProject, folder: String) -> [String] {
        project.files(under: folder).keys.sorted().map { project.path($0) }
    }

    /// The film a merge of `clips` at the end makes (as `ClipMerger.merge` in `mode`), its chapters titled by the
    /// clips' frames (a clip `frame_NN-<key>.mp4` is named as its frame, `frame_NN.png`).
    func filmMergedAtTheEnd(_ clips: [String], mode: Media.MergeMode = .auto) throws -> Data {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("film-\(UUID().uuidString).mp4").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let titles = clips.map { clip in
            let stem = URL(fileURLWithPath: clip).deletingPathExtension().lastPathComponent
            return String(stem.prefix { $0 != "-" }) + ".png"
        }
        _ = try ClipMerger.merge(
            inputs: clips, output: output, options: Media.MergeOptions(mode: mode), titles: titles)
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func theFilmIsMadeAsTheClipsLandAndIsTheFilmOfAMergeAtTheEnd() async throws {
        let project = try PipelineProject.make(frames: 6)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())
        let setup = EngineSetup(project: project, tenant: nil)
        let log = setup.log
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded, "\(summary)")
        #expect(Self.mergingStatuses(log) == 1, "the film was merged at the end, not as its clips landed")
        let clips = clipPaths(project, folder: "out/clips")
        #expect(clips.count == 6)
        #expect(try bytes(project.path("out/film.mp4")) == filmMergedAtTheEnd(clips))
        #expect(FileManager.default.fileExists(atPath: project.path("out/film.contact.png")))

        // A rerun with every clip cached decides from the merge's record, as before: nothing is merged again.
        log.clear()
        let rerun = try await setup.engine().apply()
        #expect(rerun.outcome == .succeeded && rerun.stagesSkipped.contains("film") && rerun.generated == 0, "\(rerun)")
        #expect(Self.mergingStatuses(log) == 0)
    }

    @Test func aClipSkippedAfterFailingLeavesItOutAndTheFilmIsMergedAtTheEnd() async throws {
        let tenant = try await DoubleTenant.make([
            "precomputedClips": true, "generationSeconds": 0.2,
            "failMarkers": ["fail-me": "INTERNAL.BAD_OUTPUT.CODE01"],
        ])
        let project = try PipelineProject.make(frames: 4)
        defer { project.remove() }
        try project.write(
            manifest: """
                version: 1
                name: skipping
                providers:
                  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 50ms, concurrency: 4 }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, duration: 5, prompt: "push in", retries: 0, onFailure: skip, to: ./clips/, overrides: [{ match: "frame_03*", prompt: "fail-me" }] }
                  film: { type: merge, needs: [clips], mode: copy }
                  publish: { type: publish, needs: [film], to: ./out/film.mp4 }
                """)
        let setup = EngineSetup(project: project, tenant: tenant)
        let summary = try await setup.engine().apply()
        #expect(summary.outcome == .succeeded && summary.failures.count == 1 && summary.generated == 3, "\(summary)")
        #expect(Self.mergingStatuses(setup.log) == 3, "merged at the end, from the three clips made")
        let clips = clipPaths(project, folder: "clips")
        #expect(clips.count == 3)
        #expect(try bytes(project.path("out/film.mp4")) == filmMergedAtTheEnd(clips, mode: .copy))
        #expect(abs(try MediaProbe.probe(path: project.path("out/film.mp4")).duration - 15) < 0.1)
    }

    @Test func anInterruptedRunLeavesNoFilmAndTheRerunMakesTheRightOne() async throws {
        let project = try PipelineProject.make(frames: 6)
        defer { project.remove() }
        try project.write(manifest: Manifests.local())
        let setup = EngineSetup(project: project, tenant: nil)
        let log = setup.log
        let engine = try setup.engine()
        // Interrupted once two clips are made: the session holds them and part of the film.
        let running = Mutex<Task<RunSummary, any Error>?>(nil)
        log.hook.withLock {
            $0 = { [log] event in
                guard event.kind == .itemSucceeded, event.stage == "clips" else { return }
                let made = log.all.filter { $0.kind == .itemSucceeded && $0.stage == "clips" }.count
                if made == 2 { running.withLock { $0?.cancel() } }
            }
        }
        let run = Task { try await engine.apply() }
        running.withLock { $0 = run }
        let interrupted = try await run.value
        #expect(interrupted.outcome == .interrupted, "\(interrupted)")
        #expect(!FileManager.default.fileExists(atPath: project.path("out/film.mp4")))
        log.hook.withLock { $0 = nil }

        log.clear()
        let rerun = try await setup.engine().apply()
        #expect(rerun.outcome == .succeeded, "\(rerun)")
        #expect(rerun.skipped >= 2 && rerun.generated + rerun.skipped == 6, "\(rerun)")
        #expect(Self.mergingStatuses(log) == 1, "the rerun's film was made as its clips landed too")
        let clips = clipPaths(project, folder: "out/clips")
        #expect(clips.count == 6)
        #expect(try bytes(project.path("out/film.mp4")) == filmMergedAtTheEnd(clips))
    }
}
