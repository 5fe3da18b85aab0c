import Foundation
import Manifest
import Stages
import Storage
import Synchronization
import TestSupport
import Testing

/// The soundtrack stage as the engine runs it (`FilmStage`'s items and make): voice lines placed at the clips the
/// film's chapters name, the film kept beside the stage's records, the key following the files' content, and the
/// refusals: a glob that matches no clip, a file that leads out of the project.
@Suite(.serialized)
struct SoundtrackStageTests {
    /// The chaptered film and a voice file.
    final class Project: ChapteredFilmProject {
        init() throws {
            try super.init(prefix: "soundtrack-stage", stage: "sound", audio: false)
            try tone(root + "/voice.wav", frequency: 300)
        }

        func tone(_ path: String, frequency: Int) throws {
            try Self.ffmpeg([
                "-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=44100:duration=1", "-af", "volume=12dB",
                "-ac", "1", path,
            ])
        }

        func stage(match: String, voice: String? = nil) -> SoundtrackStage {
            let line = SoundtrackOptions.VoiceLine(
                match: match, file: .local(path: voice ?? root + "/voice.wav"),
                position: SourcePosition(file: "pipeline.yaml", line: 12, column: 9))
            return SoundtrackStage(
                name: "sound",
                options: SoundtrackOptions(music: nil, voice: .perClip([line]), clipAudio: .drop), project: root)
        }
    }

    @Test func aVoiceLineStartsAtItsClipAndTheFilmIsKeptBesideTheRecords() async throws {
        let project = try Project()
        let stage = project.stage(match: "FRAME_02*")
        let items = try await stage.items(from: [try project.film()], in: project.context)
        let item = try #require(items.first)
        #expect(items.count == 1)
        #expect(item.note == "stream-copies the picture")
        #expect(item.output == .local(path: project.root + "/state/sound/\(item.key.hex).mp4"))
        let made = try await stage.make(item, in: project.context, run: WarningRun())
        #expect(made.artifact.location == item.output)
        #expect(FileManager.default.fileExists(atPath: project.root + "/state/sound/\(item.key.hex).mp4"))
        // The voice is heard from the second clip's start (2 s), within one audio frame, and not before.
        let volume = try run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i",
                project.root + "/state/sound/\(item.key.hex).mp4",
                "-af", "silencedetect=noise=-40dB:d=0.5", "-f", "null", "-",
            ])
        let starts = volume.stderr.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: "silence_end: ") else { return nil }
            return Double(line[range.upperBound...].prefix { "0123456789.".contains($0) })
        }
        let first = try #require(starts.first, "\(volume.stderr)")
        #expect(abs(first - 2) <= 1024.0 / 48_000, "the voice starts at \(first) s")

        // The same inputs give the same key; another voice file's content gives another.
        let again = try await stage.items(from: [try project.film()], in: project.context)
        #expect(again.first?.key == item.key)
        try project.tone(project.root + "/voice.wav", frequency: 500)
        let changed = try await stage.items(from: [try project.film()], in: project.context)
        #expect(changed.first?.key != item.key)
        #expect(changed.first?.key.inputs["file.voice[0]"] != item.key.inputs["file.voice[0]"])
    }

    @Test func aGlobThatMatchesNoClipFailsTheStageNamingItsPlaceAndTheClips() async throws {
        let project = try Project()
        let stage = project.stage(match: "frame_09*")
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        do {
            _ = try await stage.make(item, in: project.context, run: WarningRun())
            Issue.record("a voice line matching no clip was made")
        } catch {
            #expect(error.reason.contains("pipeline.yaml:12:9"), "\(error.reason)")
            #expect(error.reason.contains("\"frame_09*\" matches no clip"), "\(error.reason)")
            #expect(error.reason.contains("frame_01.png, frame_02.png, frame_03.png"), "\(error.reason)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.root + "/state/sound/\(item.key.hex).mp4"))
    }

    @Test func aGlobMatchingSeveralClipsIsPlacedAtTheFirstWithAWarning() async throws {
        let project = try Project()
        let stage = project.stage(match: "frame_0*")
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        let run = WarningRun()
        _ = try await stage.make(item, in: project.context, run: run)
        #expect(
            run.warnings.withLock { $0 }.contains {
                $0.contains("matches 3 clips; the voice is placed at the first, frame_01.png")
            })
    }

    @Test func aVoiceFileLinkedFromOutsideTheProjectIsRefusedBeforeItIsRead() async throws {
        let project = try Project()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).wav")
            .path
        try project.tone(outside, frequency: 440)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: project.root + "/linked.wav", withDestinationPath: outside)
        let stage = project.stage(match: "frame_01*", voice: project.root + "/linked.wav")
        await #expect {
            _ = try await stage.items(from: [try project.film()], in: project.context)
        } throws: { error in
            guard case .unreadable(_, let reason) = error as? StageError else { return false }
            return reason.contains("`voice[0]` lies outside the folders a manifest may read")
        }
    }
}
