import Foundation
import Manifest
import Runner
import TestSupport
import Testing

/// A soundtrack stage in a whole local pipeline (frames -> Ken Burns clips -> merge -> soundtrack -> publish): the
/// film it publishes has the music, a rerun with nothing changed does nothing, and changing the music or the loudness
/// target makes only the soundtrack again. Hostile manifests: a music file outside the project, directly or through a
/// symbolic link, and an S3 music file under an endpoint the environment does not trust, are refused.
@Suite(.serialized)
struct SoundtrackPipelineTests {
    static func manifest(music: String = "./audio/bed.wav", target: Int = -14, extra: String = "") -> String {
        Manifests.local(name: "sound-test").replacingOccurrences(
            of: "  publish: { type: publish, needs: [film], to: ./out/film.mp4 }",
            with: """
                  sound: { type: soundtrack, needs: film, music: \(music), fadeIn: 200ms, level: -3dB, loudness: { target: \(target) } }
                  publish: { type: publish, needs: [sound], to: ./out/film.mp4 }
                \(extra)
                """)
    }

    static func tone(_ path: String, frequency: Int, seconds: Int = 5) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let made = try run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=\(frequency):sample_rate=44100:duration=\(seconds)", path,
            ])
        #expect(made.status == 0, "\(made.stderr)")
    }

    static func actions(_ project: PipelineProject) throws -> [String: [String: String]] {
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        return Dictionary(
            uniqueKeysWithValues: ["clips", "film", "sound", "publish"].map { ($0, plan.actions(of: $0)) })
    }

    @Test func theFilmGetsItsSoundtrackAndOnlyAChangeOfTheSoundtrackMakesItAgain() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try Self.tone(project.path("audio/bed.wav"), frequency: 1000)
        try project.write(manifest: Self.manifest())

        let plan = try project.runner("plan", project.manifest)
        #expect(
            plan.stdout.contains(
                "sound (soundtrack): music, the clips' sound, -14 LUFS / -1 dBTP; stream-copies the picture"),
            "\(plan.stdout)")
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stderr)")
        let film = project.path("out/film.mp4")
        #expect(try ProbedVideo.decodesCleanly(film))
        let audio = try run(
            "/usr/bin/env",
            [
                "ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", film,
            ])
        #expect(audio.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "aac,48000,2")

        // Nothing changed: nothing to do, nothing written.
        let before = project.files(under: "out").merging(project.files(under: ".runner")) { $1 }
        let again = try project.runner("apply", project.manifest)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nothing to do"), "\(again.stdout)")
        #expect(project.files(under: "out").merging(project.files(under: ".runner")) { $1 } == before)

        // Other music: only the soundtrack (and the publish of its new film) is made again.
        try Self.tone(project.path("audio/bed.wav"), frequency: 700)
        var actions = try Self.actions(project)
        #expect(actions["clips"]?.values.allSatisfy { $0 == "cached" } == true, "\(actions)")
        #expect(actions["film"] == ["film": "cached"])
        #expect(actions["sound"] == ["sound": "regenerate"], "\(actions)")
        let why = try project.runner("plan", project.manifest)
        #expect(why.stdout.contains("~ sound  again: file.music changed"), "\(why.stdout)")
        let remade = try project.runner("apply", project.manifest)
        #expect(remade.status == 0, "\(remade.stderr)")
        #expect(remade.stdout.contains("clips generated  0"))

        // Another loudness target: the same.
        try project.write(manifest: Self.manifest(target: -20))
        actions = try Self.actions(project)
        #expect(actions["film"] == ["film": "cached"])
        #expect(actions["sound"] == ["sound": "regenerate"], "\(actions)")
    }

    @Test func aVoiceLineIsPlacedAtTheClipOfItsFrameThroughTheMergedFilmsChapters() throws {
        let project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try Self.tone(project.path("voice/two.wav"), frequency: 300, seconds: 1)
        let manifest = Manifests.local(name: "voice-test").replacingOccurrences(
            of: "  publish: { type: publish, needs: [film], to: ./out/film.mp4 }",
            with: """
                  sound:
                    type: soundtrack
                    needs: film
                    voice: [{ match: "frame_02*", file: ./voice/two.wav }]
                  publish: { type: publish, needs: [sound], to: ./out/film.mp4 }
                """)
        try project.write(manifest: manifest)
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stderr)")
        // Three 1 s clips: the voice is heard from 1 s (the second clip's start), within one audio frame.
        let detected = try run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", project.path("out/film.mp4"), "-af",
                "silencedetect=noise=-40dB:d=0.3", "-f", "null", "-",
            ])
        let ends = detected.stderr.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: "silence_end: ") else { return nil }
            return Double(line[range.upperBound...].prefix { "0123456789.".contains($0) })
        }
        let start = try #require(ends.first, "\(detected.stderr)")
        #expect(abs(start - 1) <= 1024.0 / 48_000, "the voice starts at \(start) s")

        // A glob that matches no frame fails the stage, naming its place; nothing is published.
        try project.write(manifest: manifest.replacingOccurrences(of: "frame_02*", with: "frame_20*"))
        try FileManager.default.removeItem(atPath: project.path("out/film.mp4"))
        let unmatched = try project.runner("apply", project.manifest)
        #expect(unmatched.status == 1)
        #expect(
            unmatched.stdout.contains("\"frame_20*\" matches no clip")
                || unmatched.stderr.contains("\"frame_20*\" matches no clip"), "\(unmatched.stdout)\(unmatched.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path("out/film.mp4")))
    }

    @Test func musicOutsideTheProjectIsRefusedByValidateEvenThroughALink() throws {
        let project = try HostileManifestTests.project()
        defer { project.remove() }
        try project.write(manifest: Self.manifest(music: "../../../../../../etc/passwd"))
        let validate = try project.runner("validate", project.manifest)
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("pipeline.yaml:9:"), "\(validate.stdout)")
        #expect(validate.stdout.contains("stages.sound.music` leads outside the project folder"), "\(validate.stdout)")

        // A link inside the project to a file outside it: the text is inside, the file is not. validate follows it,
        // and plan and apply stop before any clip is made.
        try FileManager.default.createDirectory(atPath: project.path("audio"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: project.path("audio/bed.wav"), withDestinationPath: "/etc/passwd")
        try project.write(manifest: Self.manifest())
        let linked = try project.runner("validate", project.manifest)
        #expect(linked.status == 2)
        #expect(
            linked.stdout.contains(
                "pipeline.yaml:9:50: error: `stages.sound.music` is a symbolic link that leads outside the project folder (to /etc/passwd)"
            ), "\(linked.stdout)")
        for command in ["plan", "apply"] {
            let refused = try project.runner(command, project.manifest)
            #expect(refused.status == 2, "\(command): \(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("is a symbolic link that leads outside"), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.path("out")), "something was made")
    }

    /// The link made after the manifest was loaded (a server's template, a long plan): the engine checks the file's
    /// final path again when it plans, before anything is made.
    @Test func aMusicFileTurnedIntoALinkAfterLoadingStopsThePlan() async throws {
        let project = try HostileManifestTests.project()
        defer { project.remove() }
        try Self.tone(project.path("audio/bed.wav"), frequency: 440)
        try project.write(manifest: Self.manifest())
        let loaded = ManifestLoader.load(path: project.manifest, options: ManifestOptions(environment: [:]))
        let pipeline = try #require(loaded.pipeline, "\(loaded.diagnostics)")
        try FileManager.default.removeItem(atPath: project.path("audio/bed.wav"))
        try FileManager.default.createSymbolicLink(
            atPath: project.path("audio/bed.wav"), withDestinationPath: "/etc/passwd")
        let engine = PipelineEngine(pipeline: pipeline, options: EngineOptions(environment: [:]))
        let refusals: [(String, () async throws -> Void)] = [
            ("plan", { _ = try await engine.plan() }), ("apply", { _ = try await engine.apply() }),
        ]
        for (attempt, body) in refusals {
            do {
                try await body()
                Issue.record("\(attempt) went ahead with a link out of the project")
            } catch {
                #expect(
                    "\(error)".hasPrefix("stage `sound`: cannot read ")
                        && "\(error)".contains(
                            "`music` lies outside the folders a manifest may read (it leads to /etc/passwd)"),
                    "\(attempt): \(error)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: project.path("out")), "something was made")
    }

    @Test func s3MusicUnderAnUntrustedEndpointIsRefusedBeforeAnyRequest() throws {
        let project = try HostileManifestTests.project()
        defer { project.remove() }
        let listener = try CanaryListener()
        try project.write(
            manifest: Self.manifest(
                music: "s3://media/bed.wav", extra: "s3: { endpoint: \"http://127.0.0.1:\(listener.port)\" }"))
        let validate = try project.runner("validate", project.manifest)
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("s3.endpoint"), "\(validate.stdout)")
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 2)
        #expect(try listener.received().isEmpty, "a request reached the manifest's endpoint")
    }
}
