import Foundation
import Manifest
import Media
import Stages
import Storage
import TestSupport
import Testing

/// The film made as its clips land (`MergeStage.Session`): in any order of arrival, the same film and contact sheet
/// as the merge made at the end; a clip that will not be in the film makes the stage merge as it always did.
@Suite struct MergeSessionTests {
    /// Five real clips (ffmpeg, with audio) with their frames, as a generate stage hands them on, and the merge stage.
    struct Setup {
        let root: URL
        let clips: [Artifact]
        let stage: MergeStage
        let stores = StoreCache(settings: S3Settings(), environment: [:])

        init(count: Int = 5) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "merge-session-\(UUID().uuidString)", isDirectory: true)
            for folder in ["frames", "clips", "state", "scratch"] {
                try FileManager.default.createDirectory(
                    at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let patterns = ["testsrc2", "smptebars", "rgbtestsrc", "testsrc", "smptehdbars"]
            var clips: [Artifact] = []
            for index in 0..<count {
                let pattern = patterns[index % patterns.count]
                let frame = root.appendingPathComponent("frames/frame_\(index + 1).png").path
                let clip = root.appendingPathComponent("clips/frame_\(index + 1).mp4").path
                try Self.ffmpeg(["-f", "lavfi", "-i", "\(pattern)=s=320x180:d=1", "-frames:v", "1", frame])
                try Self.ffmpeg([
                    "-f", "lavfi", "-i", "\(pattern)=s=320x180:r=24:d=1", "-f", "lavfi", "-i",
                    "sine=frequency=\(440 + 110 * index):sample_rate=48000:duration=1",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "12", "-c:a", "aac", "-b:a",
                    "96k", clip,
                ])
                let size = Int64(try FileManager.default.attributesOfItem(atPath: clip)[.size] as? Int ?? 0)
                clips.append(
                    Artifact(
                        name: "frame_\(index + 1).png", location: .local(path: clip), size: size,
                        digest: .sha256(try SHA256Digest.hex(ofFile: clip)), duration: 1, source: .local(path: frame)))
            }
            self.clips = clips
            let manifest = """
                version: 1
                name: session
                providers: { draft: { type: kenburns } }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: draft, ratio: "320:180", duration: 1, to: ./clips/ }
                  film: { type: merge, needs: [clips], mode: copy }
                """
            let loaded = ManifestLoader.load(bytes: Array(manifest.utf8), file: "pipeline.yaml", directory: root.path)
            let pipeline = try #require(loaded.pipeline, "\(loaded.diagnostics)")
            guard case .merge(let options)? = pipeline.stages.first(where: { $0.name == "film" })?.kind else {
                throw Failure(text: "no merge stage")
            }
            stage = MergeStage(name: "film", options: options)
        }

        struct Failure: Error { let text: String }

        static func ffmpeg(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw Failure(text: "ffmpeg \(arguments) failed") }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        var scratch: URL { root.appendingPathComponent("scratch") }

        func work(_ clips: [Artifact]) throws -> MergeWork {
            try stage.work(inputs: clips, folder: .local(path: root.appendingPathComponent("state/film/").path))
        }

        /// Makes `work`'s film (with `session` when given) and returns it with its contact sheet's bytes and the
        /// number of progress calls (one per clip when merged at the end, one in all when a session made it).
        func make(_ work: MergeWork, session: MergeStage.Session? = nil) async throws -> (
            film: Artifact, sheet: Data?, progressCalls: Int
        ) {
            let calls = Counter()
            let film = try await stage.make(
                work, stores: stores, workDirectory: scratch, session: session,
                warning: { Issue.record("warning: \($0)") },
                progress: { _, _ in calls.add() }
            )
            let sheetPath = MergeStage.contactSheetLocation(ofFilm: film.location).description
            let sheet = try? Data(contentsOf: URL(fileURLWithPath: sheetPath))
            // Each make writes the same places: keep the bytes, then clear them for the next make.
            try? FileManager.default.removeItem(atPath: film.location.description)
            try? FileManager.default.removeItem(atPath: sheetPath)
            return (film, sheet, calls.value)
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() {
            lock.lock()
            count += 1
            lock.unlock()
        }
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
    }

    @Test func clipsLandingInAnyOrderGiveTheFilmAndSheetOfAMergeAtTheEnd() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let work = try setup.work(setup.clips)
        let atTheEnd = try await setup.make(work)
        #expect(atTheEnd.progressCalls == 5)
        #expect(atTheEnd.sheet != nil)

        let session = try #require(
            setup.stage.session(clipCount: 5, stores: setup.stores, workDirectory: setup.scratch))
        for index in [3, 0, 4, 1, 2] { await session.land(index, clip: setup.clips[index]) }
        let landed = try await setup.make(work, session: session)
        #expect(landed.progressCalls == 1, "the session's film was not used")
        #expect(await session.problem == "closed")
        #expect(landed.film == atTheEnd.film, "a different film: \(landed.film) vs \(atTheEnd.film)")
        #expect(landed.sheet == atTheEnd.sheet, "a different contact sheet")
        // Nothing is left of the session but the film (kept for the publish, as a merge at the end keeps it).
        let left = try FileManager.default.contentsOfDirectory(atPath: setup.scratch.path)
        #expect(left == ["\(work.key.hex).mp4"], "\(left)")
    }

    @Test func aClipLeftOutOfTheFilmMakesTheStageMergeAsBefore() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        // Clip 3 failed under `onFailure: skip`: the stage gets the other four.
        let kept = setup.clips.enumerated().filter { $0.offset != 2 }.map(\.element)
        let work = try setup.work(kept)
        let atTheEnd = try await setup.make(work)

        let session = try #require(
            setup.stage.session(clipCount: 5, stores: setup.stores, workDirectory: setup.scratch))
        for index in [1, 0, 4, 3] { await session.land(index, clip: setup.clips[index]) }
        await session.abandon("clip 3 was not made")
        let made = try await setup.make(work, session: session)
        #expect(made.progressCalls == 4, "merged at the end, as before")
        #expect(made.film == atTheEnd.film)
        #expect(made.sheet == atTheEnd.sheet)
        #expect(await session.problem == "clip 3 was not made")

        // Without being told, a session holding other clips than the stage's hands nothing over either.
        let unaware = try #require(
            setup.stage.session(clipCount: 5, stores: setup.stores, workDirectory: setup.scratch))
        for index in 0..<5 { await unaware.land(index, clip: setup.clips[index]) }
        let checked = try await setup.make(work, session: unaware)
        #expect(checked.progressCalls == 4 && checked.film == atTheEnd.film)
    }

    @Test func aClipChangedSinceItWasRecordedIsRefusedAsBefore() async throws {
        let setup = try Setup(count: 3)
        defer { setup.remove() }
        var clips = setup.clips
        clips[1].digest = .sha256(String(repeating: "0", count: 64))
        let work = try setup.work(clips)
        let session = try #require(
            setup.stage.session(clipCount: 3, stores: setup.stores, workDirectory: setup.scratch))
        for index in 0..<3 { await session.land(index, clip: clips[index]) }
        await #expect(throws: StageError.self) { try await setup.make(work, session: session) }
        #expect(await session.problem?.contains("clip 2") == true)
    }

    @Test func aClipDeletedAfterItLandedMakesTheStageMergeAsBeforeAndSayWhichIsGone() async throws {
        let setup = try Setup(count: 3)
        defer { setup.remove() }
        let work = try setup.work(setup.clips)
        let session = try #require(
            setup.stage.session(clipCount: 3, stores: setup.stores, workDirectory: setup.scratch))
        for index in 0..<3 { await session.land(index, clip: setup.clips[index]) }
        try FileManager.default.removeItem(atPath: setup.clips[0].location.description)
        await #expect(throws: StageError.self) { try await setup.make(work, session: session) }
        #expect(await session.problem?.contains("clip 1") == true)
    }

    @Test func aFilmOfNoClipsHasNoSession() async throws {
        let setup = try Setup(count: 1)
        defer { setup.remove() }
        #expect(setup.stage.session(clipCount: 0, stores: setup.stores, workDirectory: setup.scratch) == nil)
    }
}
