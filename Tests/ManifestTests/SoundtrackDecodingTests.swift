import Foundation
import Manifest
import Testing

/// The `soundtrack` stage as `validate` reads it: its options, and each problem at its file:line:column.
@Suite struct SoundtrackDecodingTests {
    /// A project folder with `audio/bed.mp3` and `voice/01.m4a` (their bytes do not matter to validation).
    final class Project {
        let path: String

        init() throws {
            path =
                FileManager.default.temporaryDirectory.appendingPathComponent("sound-manifest-\(UUID().uuidString)")
                .path
            for file in ["audio/bed.mp3", "voice/01.m4a", "voice/02.m4a"] {
                let full = path + "/" + file
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data("x".utf8).write(to: URL(fileURLWithPath: full))
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func load(_ sound: String, environment: [String: String] = [:]) -> ManifestResult {
            let yaml = """
                version: 1
                name: sound
                providers:
                  draft: { type: kenburns }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: draft, to: ./out/clips/ }
                  film: { type: merge, needs: [clips], format: webm }
                \(sound)
                  publish: { type: publish, needs: [sound], to: ./out/ }
                """
            return ManifestLoader.load(
                bytes: Array(yaml.utf8), file: "pipeline.yaml", directory: path,
                options: ManifestOptions(environment: environment))
        }
    }

    @Test func everyOptionDecodesAndThePublishKeepsTheMergedFormat() throws {
        let project = try Project()
        let result = project.load(
            """
              sound:
                type: soundtrack
                needs: film
                music: ./audio/bed.mp3
                fadeIn: 2s
                fadeOut: 500ms
                level: -6dB
                voice:
                  - { match: "frame_01*", file: ./voice/01.m4a }
                  - { match: "frame_02*", file: ./voice/02.m4a }
                clipAudio: drop
                duck: { by: 10 dB, attack: 30ms, release: 1s }
                loudness: { target: -16, truePeak: -1.5 }
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let pipeline = try #require(result.pipeline)
        guard case .soundtrack(let sound)? = pipeline.stages.first(where: { $0.name == "sound" })?.kind,
            case .publish(let publish)? = pipeline.stages.last?.kind
        else {
            Issue.record("the soundtrack stage was not decoded")
            return
        }
        #expect(
            sound.music
                == .init(file: .local(path: project.path + "/audio/bed.mp3"), fadeIn: 2, fadeOut: 0.5, level: -6))
        guard case .perClip(let lines)? = sound.voice else {
            Issue.record("the voice lines were not decoded")
            return
        }
        #expect(lines.map(\.match) == ["frame_01*", "frame_02*"])
        #expect(
            lines.map(\.file) == [
                .local(path: project.path + "/voice/01.m4a"), .local(path: project.path + "/voice/02.m4a"),
            ])
        #expect(sound.clipAudio == .drop)
        #expect(sound.duck == .init(by: 10, attack: 0.03, release: 1))
        #expect(sound.loudness == .init(target: -16, truePeak: -1.5))
        // The folder destination is named after the session with the merge's format, through the soundtrack.
        #expect(publish.to == .local(path: project.path + "/out/sound.webm"))
    }

    @Test func defaultsAreTheIssuesAndOneVoiceFileIsForTheWholeFilm() throws {
        let project = try Project()
        let result = project.load(
            "  sound: { type: soundtrack, needs: film, music: ./audio/bed.mp3, voice: ./voice/01.m4a, duck: {} }")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard
            case .soundtrack(let sound)? = try #require(result.pipeline).stages.first(where: { $0.name == "sound" })?
                .kind
        else {
            Issue.record("the soundtrack stage was not decoded")
            return
        }
        #expect(sound.voice == .whole(.local(path: project.path + "/voice/01.m4a")))
        #expect(sound.duck == .init(by: 12, attack: 0.05, release: 0.4))
        #expect(sound.loudness == .init(target: -14, truePeak: -1))
        #expect(sound.clipAudio == .keep)
    }

    @Test func aBadGainAnUnknownFileAndABadDurationAreEachNamedAtTheirPlace() throws {
        let project = try Project()
        let result = project.load(
            """
              sound:
                type: soundtrack
                needs: film
                music: ./audio/missing.mp3
                level: loud
                fadeIn: soon
                duck: { by: 80dB }
            """)
        expectError(result, "`stages.sound.music` names", at: 12, 12)
        expectError(result, "`stages.sound.level` must be a gain in dB", at: 13, 12)
        expectError(result, "`stages.sound.fadeIn` must be a duration", at: 14, 13)
        expectError(result, "`stages.sound.duck.by` must be from 1 dB to 40 dB", at: 15, 17)
    }

    @Test func aFileOutsideTheProjectIsRefusedUnlessTheEnvironmentTrustsItsFolder() throws {
        let project = try Project()
        let outside = "  sound: { type: soundtrack, needs: film, music: ../../../../../etc/passwd }"
        expectError(project.load(outside), "`stages.sound.music` leads outside the project folder", at: 9, 50)
        let trusted = project.load(outside, environment: ["RUNNER_TRUSTED_PATHS": "/etc"])
        #expect(trusted.diagnostics.isEmpty, "\(trusted.diagnostics)")
    }

    @Test func aSoundtrackReadsExactlyOneFilm() throws {
        let project = try Project()
        expectError(
            project.load("  sound: { type: soundtrack, needs: clips, music: ./audio/bed.mp3 }"),
            "cannot read `clips`, a generate stage; it reads merge or soundtrack or captions stages", at: 9, 37)
        let two = project.load(
            "  sound: { type: soundtrack, needs: [film, film2] }\n  film2: { type: merge, needs: [clips] }")
        #expect(
            two.diagnostics.contains { $0.message.contains("reads exactly one merge or soundtrack or captions stage") })
    }

    @Test func duckingWithoutAVoiceIsWarnedAbout() throws {
        let project = try Project()
        let result = project.load(
            "  sound: { type: soundtrack, needs: film, music: ./audio/bed.mp3, duck: { by: 6dB } }")
        let warning = diagnostic(result, containing: "no `voice` is set")
        #expect(warning?.severity == .warning)
        #expect(result.pipeline != nil)
    }
}
