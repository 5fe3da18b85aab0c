import Foundation
import Manifest
import Stages
import Storage
import Synchronization
import TestSupport
import Testing

/// The captions stage as the engine runs it (`FilmStage`'s items and make): lines placed at the spans of the clips the
/// film's chapters name, a subtitle file read from the project, a font file burned with, the key following the
/// captions, and the refusals: a malformed subtitle file, a glob that matches no clip, a file leading out of the
/// project.
@Suite(.serialized)
struct CaptionsStageTests {
    /// The chaptered film, with sound.
    final class Project: ChapteredFilmProject {
        init() throws {
            try super.init(prefix: "captions-stage", stage: "words", audio: true)
        }

        func stage(_ source: CaptionsOptions.Source, burn: BurnOptions? = nil) throws -> CaptionsStage {
            CaptionsStage(
                name: "words",
                options: CaptionsOptions(source: source, language: try LanguageTag(parsing: "fr-CA"), burn: burn),
                project: root)
        }

        func line(_ match: String, _ text: String) -> CaptionLine {
            CaptionLine(match: match, text: text, position: SourcePosition(file: "pipeline.yaml", line: 14, column: 9))
        }

        func write(_ name: String, _ text: String) throws -> Location {
            try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
            return .local(path: root + "/" + name)
        }
    }

    @Test func linesArePlacedAtTheirClipsSpansAsASoftTrack() async throws {
        let project = try Project()
        let stage = try project.stage(
            .lines([project.line("FRAME_02*", "Second clip"), project.line("frame_0[13].png", "{\\an8}Ends")]))
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        #expect(item.note == "stream-copies the picture")
        #expect(item.output == .local(path: project.root + "/state/words/\(item.key.hex).mp4"))
        let made = try await stage.make(item, in: project.context, run: WarningRun())
        let output = project.root + "/state/words/\(item.key.hex).mp4"
        #expect(made.artifact.location == .local(path: output))
        #expect(
            try subtitleCues(output) == [
                "00:00:00,000 --> 00:00:02,000|{\u{2060}\\an8}Ends",
                "00:00:02,000 --> 00:00:04,000|Second clip",
                "00:00:04,000 --> 00:00:06,000|{\u{2060}\\an8}Ends",
            ])
        let language = try run(
            "/usr/bin/env",
            [
                "ffprobe", "-v", "error", "-select_streams", "s", "-show_entries", "stream_tags=language", "-of",
                "csv=p=0", output,
            ])
        #expect(language.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "fra")

        // The same lines give the same key; another text gives another.
        let again = try await stage.items(from: [try project.film()], in: project.context)
        #expect(again.first?.key == item.key)
        let changed = try project.stage(
            .lines([project.line("FRAME_02*", "Second clip!"), project.line("frame_0[13].png", "{\\an8}Ends")]))
        #expect(try await changed.items(from: [try project.film()], in: project.context).first?.key != item.key)
    }

    @Test func aSubtitleFileIsReadAndItsContentKeysTheFilm() async throws {
        let project = try Project()
        let file = try project.write(
            "en.srt", "1\n00:00:01,000 --> 00:00:02,500\n<i>Bonjour</i>\n\n2\n00:00:05,000 --> 00:00:09,000\nFin\n")
        let stage = try project.stage(.file(file))
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        let run = WarningRun()
        _ = try await stage.make(item, in: project.context, run: run)
        let output = project.root + "/state/words/\(item.key.hex).mp4"
        #expect(
            try subtitleCues(output) == [
                "00:00:01,000 --> 00:00:02,500|Bonjour", "00:00:05,000 --> 00:00:06,000|Fin",
            ])
        #expect(run.warnings.withLock { $0 } == ["stage `words`: 1 caption runs past the film's end and was cut there"])

        _ = try project.write("en.srt", "1\n00:00:01,000 --> 00:00:02,500\nSalut\n")
        let changed = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        #expect(changed.key != item.key)
        #expect(changed.key.inputs["file.from"] != item.key.inputs["file.from"])
    }

    @Test func aMalformedSubtitleFileFailsNamingItsLineAndColumn() async throws {
        let project = try Project()
        let file = try project.write(
            "bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nOK\n\n2\n00:00:03,000 --> 00:00:0x,000\nNo\n")
        let stage = try project.stage(.file(file))
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        do {
            _ = try await stage.make(item, in: project.context, run: WarningRun())
            Issue.record("a malformed subtitle file was used")
        } catch {
            #expect(error.reason.contains("bad.srt:6:18: the end time \"00:00:0x,000\""), "\(error.reason)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.root + "/state/words/\(item.key.hex).mp4"))
    }

    @Test func aGlobThatMatchesNoClipFailsNamingItsPlaceAndTheClips() async throws {
        let project = try Project()
        let stage = try project.stage(.lines([project.line("frame_01*", "One"), project.line("frame_9*", "Nine")]))
        let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
        do {
            _ = try await stage.make(item, in: project.context, run: WarningRun())
            Issue.record("a line matching no clip was made")
        } catch {
            #expect(error.reason.contains("pipeline.yaml:14:9: `match: frame_9*`"), "\(error.reason)")
            #expect(error.reason.contains("frame_01.png, frame_02.png, frame_03.png"), "\(error.reason)")
        }
    }

    @Test func aFontFileBurnsTheCaptionsInThatFontAndThePlanSaysItReEncodes() async throws {
        let project = try Project()
        try FileManager.default.copyItem(
            atPath: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", toPath: project.root + "/brand.ttf")
        let lines = CaptionsOptions.Source.lines([project.line("frame_02*", "Wide Words")])
        let serif = try project.stage(
            lines, burn: BurnOptions(font: .file(.local(path: project.root + "/brand.ttf")), size: 20))
        let sans = try project.stage(lines, burn: BurnOptions(size: 20))
        #expect(serif.summary(lanes: 1, fromAccount: false).hasSuffix("would re-encode the picture"))
        var frames: [String] = []
        for stage in [serif, sans] {
            let item = try #require(try await stage.items(from: [try project.film()], in: project.context).first)
            #expect(item.note == "would re-encode the picture")
            _ = try await stage.make(item, in: project.context, run: WarningRun())
            let output = project.root + "/state/words/\(item.key.hex).mp4"
            let frame = try run(
                "/usr/bin/env",
                [
                    "ffmpeg", "-nostdin", "-v", "error", "-ss", "3", "-i", output, "-frames:v", "1", "-vf",
                    "crop=160:30:0:60", "-pix_fmt", "gray", "-f", "md5", "-",
                ])
            #expect(frame.stdout.hasPrefix("MD5="), "\(frame.stderr)")
            frames.append(frame.stdout)
        }
        // Both drew the caption at the bottom, in different fonts: the caption rows differ between them.
        #expect(frames[0] != frames[1])
    }

    @Test func aSubtitleFileLinkedFromOutsideTheProjectIsRefusedBeforeItIsRead() async throws {
        let project = try Project()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).srt")
            .path
        try "1\n00:00:01,000 --> 00:00:02,000\nsecret\n".write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: project.root + "/linked.srt", withDestinationPath: outside)
        let stage = try project.stage(.file(.local(path: project.root + "/linked.srt")))
        await #expect {
            _ = try await stage.items(from: [try project.film()], in: project.context)
        } throws: { error in
            guard case .unreadable(_, let reason) = error as? StageError else { return false }
            return reason.contains("`from` lies outside the folders a manifest may read")
        }
    }
}
