import Foundation
import Manifest
import Testing

/// The `captions` stage as the manifest writes it: its source, language and burn options, and every mistake named
/// at its position.
@Suite struct CaptionsDecodingTests {
    /// A project folder with `captions/en.srt`, `captions/en.vtt` and `fonts/brand.ttf` (contents unread here).
    final class Project: Sendable {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("captions-\(UUID().uuidString)").path
            for folder in ["captions", "fonts", "frames"] {
                try FileManager.default.createDirectory(atPath: path + "/" + folder, withIntermediateDirectories: true)
            }
            for file in ["captions/en.srt", "captions/en.vtt", "fonts/brand.ttf", "notes.txt"] {
                FileManager.default.createFile(atPath: path + "/" + file, contents: Data("x".utf8))
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func load(_ stage: String, environment: [String: String] = [:]) -> ManifestResult {
            let yaml = """
                version: 1
                name: words
                providers:
                  draft: { type: kenburns }
                stages:
                  frames:  { type: frames, from: ./frames/ }
                  clips:   { type: generate, needs: [frames], provider: draft, to: ./out/clips/ }
                  film:    { type: merge, needs: [clips] }
                  words:
                \(stage.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                  publish: { type: publish, needs: [words], to: ./out/ }
                """
            return ManifestLoader.load(
                bytes: Array(yaml.utf8), file: "pipeline.yaml", directory: path,
                options: ManifestOptions(environment: environment))
        }
    }

    func captions(_ result: ManifestResult) -> CaptionsOptions? {
        guard let stage = result.pipeline?.stages.first(where: { $0.name == "words" }),
            case .captions(let options) = stage.kind
        else { return nil }
        return options
    }

    @Test func aSubtitleFileWithLanguageAndDefaults() throws {
        let project = try Project()
        let result = project.load("type: captions\nneeds: [film]\nfrom: ./captions/en.srt\nlanguage: pt-BR")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let options = try #require(captions(result))
        guard case .file(let location) = options.source else {
            Issue.record("not a file source")
            return
        }
        #expect(location == .local(path: project.path + "/captions/en.srt"))
        #expect(options.language.text == "pt-BR")
        #expect(options.language.terminologyCode == "por")
        #expect(options.burn == nil)
        // A publish of the captioned film names it after the session and the merge's format.
        guard case .publish(let publish)? = result.pipeline?.stages.last?.kind else { return }
        #expect(publish.to == .local(path: project.path + "/out/words.mp4"))
    }

    @Test func linesAndBurnOptions() throws {
        let project = try Project()
        let result = project.load(
            """
            type: captions
            needs: film
            lines:
              - { match: "frame_01*", text: "Dawn" }
              - { match: "frame_02*", text: "{\\\\an8} literal" }
            burn: { font: ./fonts/brand.ttf, size: 48, position: top, outline: 3 }
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let options = try #require(captions(result))
        guard case .lines(let lines) = options.source else {
            Issue.record("not lines")
            return
        }
        #expect(lines.map(\.match) == ["frame_01*", "frame_02*"])
        #expect(lines.map(\.text) == ["Dawn", "{\\an8} literal"])
        #expect(options.language == .undetermined)
        #expect(
            options.burn
                == BurnOptions(
                    font: .file(.local(path: project.path + "/fonts/brand.ttf")), size: 48, position: .top, outline: 3))
        let named = project.load("type: captions\nneeds: film\nfrom: ./captions/en.vtt\nburn: { font: DejaVu Serif }")
        #expect(captions(named)?.burn?.font == .name("DejaVu Serif"), "\(named.diagnostics)")
    }

    @Test func mistakesAreNamedAtTheirPositions() throws {
        let project = try Project()
        let cases: [(String, String, Int, Int)] = [
            ("type: captions\nneeds: film\nfrom: ./captions/missing.srt", "does not exist", 12, 11),
            ("type: captions\nneeds: film\nfrom: ./notes.txt", "SubRip (.srt) or WebVTT (.vtt)", 12, 11),
            ("type: captions\nneeds: film\nfrom: ../outside.srt", "outside the project folder", 12, 11),
            ("type: captions\nneeds: film\nfrom: /etc/passwd.srt", "outside the project folder", 12, 11),
            ("type: captions\nneeds: film", "needs `from`", 10, 5),
            (
                "type: captions\nneeds: film\nfrom: ./captions/en.srt\nlines: [{ match: a, text: b }]",
                "both `from` and `lines`", 13, 5
            ),
            ("type: captions\nneeds: film\nlines: []", "`stages.words.lines` is empty", 12, 12),
            (
                "type: captions\nneeds: film\nlines: [{ match: a, text: \"  \" }]",
                "`stages.words.lines[0].text` is empty", 12, 31
            ),
            (
                "type: captions\nneeds: film\nfrom: ./captions/en.srt\nlanguage: english", "not a BCP 47 language tag",
                13, 15
            ),
            ("type: captions\nneeds: film\nfrom: ./captions/en.srt\nlanguage: xx", "not an ISO 639-1 language", 13, 15),
            ("type: captions\nneeds: film\nfrom: ./captions/en.srt\nburn: { position: middle }", "position", 13, 23),
            ("type: captions\nneeds: film\nfrom: ./captions/en.srt\nburn: { font: ./notes.txt }", "not a font", 13, 19),
            (
                "type: captions\nneeds: film\nfrom: ./captions/en.srt\nburn: { font: \"A, B\" }",
                "not a font family name", 13, 19
            ),
            ("type: captions\nneeds: clips\nfrom: ./captions/en.srt", "cannot read `clips`", 11, 12),
        ]
        for (stage, fragment, line, column) in cases {
            let result = project.load(stage)
            guard let found = result.diagnostics.first(where: { $0.message.contains(fragment) }) else {
                Issue.record("\(stage): no diagnostic containing \"\(fragment)\": \(result.diagnostics)")
                continue
            }
            #expect(found.severity == .error, "\(stage)")
            #expect((found.position.line, found.position.column) == (line, column), "\(stage): \(found)")
            #expect(result.pipeline == nil, "\(stage)")
        }
    }

    @Test func aFileOutsideTheProjectIsReadInAFolderTheEnvironmentTrusts() throws {
        let project = try Project()
        let elsewhere = try Project()
        let stage = "type: captions\nneeds: film\nfrom: \(elsewhere.path)/captions/en.srt"
        #expect(project.load(stage).pipeline == nil)
        let trusted = project.load(stage, environment: ["RUNNER_TRUSTED_PATHS": elsewhere.path])
        #expect(trusted.diagnostics.isEmpty, "\(trusted.diagnostics)")
    }
}
