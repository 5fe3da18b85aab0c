import Foundation
import Media
import Testing

/// The soundtrack renderer against ffmpeg and ffprobe as oracles: loudness (ebur128), the picture's packets
/// (framemd5), the music's level under a voice (a Goertzel filter on the decoded output), voice placement, with
/// inputs as people have them: music shorter and longer than the film, mono 44.1 kHz voice, AAC with priming, a
/// silent film, a film with its clips' own sound.
@Suite(.serialized)
struct SoundtrackTests {
    /// A 6 s film of three 2 s clips (`frame_01.png`...), with or without its clips' 440 Hz sound.
    static func film(_ folder: TemporaryFolder, clipAudio: Bool, name: String = "film.mp4", seconds: Double = 6)
        throws -> String
    {
        let path = folder.file(name)
        try SoundMaker.film(path, seconds: seconds, clip: 2, clipAudio: clipAudio, in: folder)
        return path
    }

    static func render(
        _ film: String, _ recipe: SoundtrackRecipe, in folder: TemporaryFolder, output: String = "out.mp4"
    )
        throws -> (path: String, report: SoundtrackReport)
    {
        let path = folder.file(output)
        let report = try Soundtrack.render(
            film: film, output: path, format: output.hasSuffix(".webm") ? .webm : .mp4, recipe: recipe,
            scratch: folder.path)
        return (path, report)
    }

    @Test func theMixMeetsTheLoudnessTargetAndStaysUnderTheTruePeakCeiling() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: true)
        let music = folder.file("music.m4a")
        try SoundMaker.tone(music, frequency: 1000, seconds: 10, level: -6, extra: ["-c:a", "aac"])
        let voice = folder.file("voice.wav")
        try SoundMaker.tone(voice, frequency: 300, seconds: 1.5, level: -3)
        for (target, ceiling) in [(-14.0, -1.0), (-23.0, -2.0)] {
            let (output, report) = try Self.render(
                film,
                SoundtrackRecipe(
                    music: .init(path: music, fadeIn: 0.5, fadeOut: 0.5), voices: [.init(path: voice, start: 2)],
                    ducking: .init(depth: 12, attack: 0.05, release: 0.4), loudnessTarget: target, truePeak: ceiling),
                in: folder, output: "out\(Int(-target)).mp4")
            let measured = try SoundOracle.loudness(output)
            #expect(
                abs(measured.integrated - target) <= 1, "integrated \(measured.integrated) for \(target): \(report)")
            #expect(measured.truePeak < ceiling, "true peak \(measured.truePeak) over \(ceiling): \(report)")
        }
    }

    /// A target the ceiling cannot let through (a target of -5 LUFS under a -9 dBTP ceiling) is missed, and the report
    /// says by how much and why, rather than succeeding in silence; a target within reach gives no such warning.
    @Test func aTargetTheCeilingHoldsDownIsReportedAsMissed() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        let music = folder.file("music.wav")
        try SoundMaker.tone(music, frequency: 500, seconds: 8, level: -6)
        let (output, report) = try Self.render(
            film, SoundtrackRecipe(music: .init(path: music, level: 20), loudnessTarget: -5, truePeak: -9), in: folder,
            output: "held.mp4")
        let measured = try SoundOracle.loudness(output)
        #expect(measured.integrated < -6, "the oracle agrees the target was missed: \(measured.integrated)")
        #expect(measured.truePeak < -9, "the ceiling still holds: \(measured.truePeak)")
        let warning = report.warnings.first { $0.contains("not the loudness target -5.0 LUFS") }
        #expect(warning?.contains("true-peak ceiling of -9.0 dBTP") == true, "\(report.warnings)")
        let (_, reachable) = try Self.render(
            film, SoundtrackRecipe(music: .init(path: music), loudnessTarget: -16, truePeak: -1), in: folder,
            output: "reached.mp4")
        #expect(!reachable.warnings.contains { $0.contains("loudness target") }, "\(reachable.warnings)")
    }

    /// White noise loses loudness to the AAC encoder's low-pass (above about 19 kHz, where K-weighting counts it
    /// more): the sound is measured again as decoded and encoded again with the gain corrected.
    @Test func brightMusicMeetsTheTargetAsDecodedAfterTheEncodersLowPass() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        let noise = folder.file("noise.wav")
        let made = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "anoisesrc=color=white:amplitude=0.5:sample_rate=48000:duration=8", "-ac", "2", noise,
        ])
        #expect(made.status == 0, "\(made.errors)")
        for target in [-14.0, -9.0] {
            let (output, report) = try Self.render(
                film, SoundtrackRecipe(music: .init(path: noise), loudnessTarget: target), in: folder,
                output: "bright\(Int(-target)).mp4")
            let measured = try SoundOracle.loudness(output)
            #expect(
                abs(measured.integrated - target) <= 1, "integrated \(measured.integrated) for \(target): \(report)")
            #expect(measured.truePeak < -1, "true peak \(measured.truePeak): \(report)")
        }
    }

    @Test func theOutputIsAAC48kHzStereoWithThePictureCopiedBitForBitAndTheChaptersKept() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: true)
        let (output, _) = try Self.render(film, SoundtrackRecipe(), in: folder)
        let audio = try #require(try SoundOracle.audioStream(output))
        #expect(audio.codec == "aac" && audio.rate == 48_000 && audio.channels == 2)
        #expect(abs(audio.duration - 6) < 0.05, "the sound lasts \(audio.duration) s in a 6 s film")
        let before = try SoundOracle.videoPacketHashes(film)
        #expect(before.count == 144)
        #expect(try SoundOracle.videoPacketHashes(output) == before)
        #expect(try SoundOracle.chapters(output).map(\.title) == ["frame_01.png", "frame_02.png", "frame_03.png"])
        #expect(try Oracle.decodeErrors(output).isEmpty)
    }

    @Test func aWebMFilmGetsOpus() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: true, name: "film.webm")
        let music = folder.file("music.wav")
        try SoundMaker.tone(music, frequency: 1000, seconds: 3)
        let (output, _) = try Self.render(
            film, SoundtrackRecipe(music: .init(path: music)), in: folder, output: "out.webm")
        let audio = try #require(try SoundOracle.audioStream(output))
        #expect(audio.codec == "opus" && audio.rate == 48_000 && audio.channels == 2)
        #expect(try SoundOracle.videoPacketHashes(output) == SoundOracle.videoPacketHashes(film))
        #expect(abs(try SoundOracle.loudness(output).integrated + 14) <= 1)
    }

    @Test func theMusicIsLoweredUnderTheVoiceByTheAskedDepthAndComesBackWithinTheRelease() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        let music = folder.file("music.wav")
        try SoundMaker.tone(music, frequency: 1000, seconds: 8, level: -20)
        let voice = folder.file("voice.wav")
        try SoundMaker.tone(voice, frequency: 300, seconds: 1.5, level: -20)
        for depth in [12.0, 6.0] {
            let (output, report) = try Self.render(
                film,
                SoundtrackRecipe(
                    music: .init(path: music), voices: [.init(path: voice, start: 2)], keepClipAudio: false,
                    ducking: .init(depth: depth, attack: 0.05, release: 0.4)),
                in: folder, output: "ducked\(Int(depth)).mp4")
            let samples = try SoundOracle.samples(output)
            let before = SoundOracle.level(of: 1000, in: samples, seconds: 1.0...1.9)
            let under = SoundOracle.level(of: 1000, in: samples, seconds: 2.2...3.4)
            // The voice ends at 3.5 s: the music is back by 3.5 + 0.4 s.
            let after = SoundOracle.level(of: 1000, in: samples, seconds: 3.95...4.9)
            #expect(abs((before - under) - depth) <= 1, "lowered \(before - under) dB, asked \(depth): \(report)")
            #expect(abs(after - before) <= 1, "back to \(after) dB from \(before) dB")
            // The voice is heard over the music.
            #expect(SoundOracle.level(of: 300, in: samples, seconds: 2.2...3.4) > under + 3)
        }
    }

    @Test func voiceFilesStartWithinOneAudioFrameOfTheirPlace() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        // Mono 44.1 kHz WAV, and AAC in MP4 with its encoder's priming (an edit list the decoder honours).
        let mono = folder.file("mono.wav")
        try SoundMaker.tone(mono, frequency: 300, seconds: 1, level: -6, extra: ["-ac", "1", "-ar", "44100"])
        let primed = folder.file("primed.m4a")
        try SoundMaker.tone(primed, frequency: 500, seconds: 1, level: -6, extra: ["-c:a", "aac", "-b:a", "96k"])
        let (output, report) = try Self.render(
            film,
            SoundtrackRecipe(
                voices: [.init(path: mono, start: 2), .init(path: primed, start: 4), .init(path: mono, start: 7)],
                keepClipAudio: false),
            in: folder)
        #expect(report.warnings.contains { $0.contains("starts at 7.0 s, after the film's end") }, "\(report.warnings)")
        let samples = try SoundOracle.samples(output)
        let frame = 1024.0 / 48_000
        let first = try #require(SoundOracle.onset(in: samples, threshold: 0.02))
        #expect(abs(first - 2) <= frame, "the mono voice starts at \(first) s, placed at 2 s")
        let second = try #require(SoundOracle.onset(in: samples, from: 3.5, threshold: 0.02))
        #expect(abs(second - 4) <= frame, "the AAC voice starts at \(second) s, placed at 4 s")
        #expect(SoundOracle.level(of: 300, in: samples, seconds: 2.1...2.9) > -40)
        #expect(SoundOracle.level(of: 500, in: samples, seconds: 4.1...4.9) > -40)
    }

    @Test func musicShorterThanTheFilmIsLoopedAndLongerIsTrimmedWithItsFades() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        let short = folder.file("short.mp3")
        try SoundMaker.tone(short, frequency: 1000, seconds: 2.5, extra: ["-c:a", "libmp3lame"])
        let (looped, _) = try Self.render(
            film, SoundtrackRecipe(music: .init(path: short)), in: folder, output: "looped.mp4")
        let loopedSamples = try SoundOracle.samples(looped)
        let early = SoundOracle.level(of: 1000, in: loopedSamples, seconds: 1...2)
        #expect(abs(SoundOracle.level(of: 1000, in: loopedSamples, seconds: 5...5.9) - early) <= 1, "not looped")

        let long = folder.file("long.flac")
        try SoundMaker.tone(long, frequency: 1000, seconds: 20)
        let (trimmed, _) = try Self.render(
            film, SoundtrackRecipe(music: .init(path: long, fadeIn: 1, fadeOut: 1)), in: folder, output: "trimmed.mp4")
        let audio = try #require(try SoundOracle.audioStream(trimmed))
        #expect(abs(audio.duration - 6) < 0.05, "20 s of music in a 6 s film lasts \(audio.duration) s")
        let samples = try SoundOracle.samples(trimmed)
        let middle = SoundOracle.level(of: 1000, in: samples, seconds: 2...4)
        // Halfway through each fade the amplitude is half: 6 dB down.
        #expect(abs(SoundOracle.level(of: 1000, in: samples, seconds: 0.45...0.55) - (middle - 6)) <= 1.5)
        #expect(abs(SoundOracle.level(of: 1000, in: samples, seconds: 5.45...5.55) - (middle - 6)) <= 1.5)
    }

    @Test func aSilentFilmGetsTheMusicAndTheClipsSoundIsKeptOrDropped() throws {
        let folder = try TemporaryFolder()
        let silent = try Self.film(folder, clipAudio: false, name: "silent.mp4")
        let music = folder.file("music.wav")
        try SoundMaker.tone(music, frequency: 1000, seconds: 8)
        let (scored, _) = try Self.render(
            silent, SoundtrackRecipe(music: .init(path: music)), in: folder, output: "scored.mp4")
        #expect(abs(try SoundOracle.loudness(scored).integrated + 14) <= 1)

        let voiced = try Self.film(folder, clipAudio: true, name: "voiced.mp4")
        let (kept, _) = try Self.render(
            voiced, SoundtrackRecipe(music: .init(path: music)), in: folder, output: "kept.mp4")
        let (dropped, _) = try Self.render(
            voiced, SoundtrackRecipe(music: .init(path: music), keepClipAudio: false), in: folder, output: "dropped.mp4"
        )
        let keptSamples = try SoundOracle.samples(kept)
        let droppedSamples = try SoundOracle.samples(dropped)
        #expect(SoundOracle.level(of: 440, in: keptSamples, seconds: 1...5) > -40)
        #expect(SoundOracle.level(of: 440, in: droppedSamples, seconds: 1...5) < -70)
    }

    @Test func aSilentMixIsLeftSilentAndSaysSo() throws {
        let folder = try TemporaryFolder()
        let silent = try Self.film(folder, clipAudio: false)
        let (output, report) = try Self.render(silent, SoundtrackRecipe(), in: folder)
        #expect(report.measured == nil)
        #expect(report.warnings.contains { $0.contains("the mix is silent") })
        #expect(try SoundOracle.samples(output).allSatisfy { abs($0) < 1e-4 })
    }

    @Test func aMusicFileThatIsNotAudioIsNamed() throws {
        let folder = try TemporaryFolder()
        let film = try Self.film(folder, clipAudio: false)
        let text = folder.file("music.mp3")
        try Data("not music".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: MediaError.self) {
            try Self.render(film, SoundtrackRecipe(music: .init(path: text)), in: folder)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("out.mp4")))
    }

    @Test func theDuckingEnvelopeRampsInDecibelsOverTheAttackAndTheRelease() {
        var envelope = DuckingEnvelope(depth: 12, attack: 0.05, release: 0.4)
        let steps: [(heard: Bool, seconds: Double, gain: Double)] = [
            (true, 0.025, -6), (true, 0.025, -12), (true, 1, -12), (false, 0.2, -6), (false, 0.2, 0), (false, 1, 0),
        ]
        for step in steps {
            let gain = envelope.advance(heard: step.heard, seconds: step.seconds)
            #expect(abs(gain - step.gain) < 1e-9, "\(step): \(gain) dB")
        }
    }
}
