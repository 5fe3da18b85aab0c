import ArgumentParser
import Foundation
import Media

/// `runner soundtrack FILM -o OUT --music FILE --voice SECONDS:FILE ...`: a film's sound made again, as a
/// `soundtrack` stage makes it, for one film on the command line.
struct SoundtrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundtrack",
        abstract: "Make a film's sound again: its clips' sound, music and voice-over, ducked, at a loudness target.",
        discussion: """
            The picture, subtitles and chapters are copied as they are; the sound is AAC 48 kHz stereo in MP4 \
            (Opus in WebM). The music is looped or trimmed to the film. The mix is measured as EBU R128 defines \
            loudness, brought to --loudness by a gain and held under --true-peak by a limiter.

            Exit status: 0 on success, 1 when the work fails, 2 for invalid input or usage.

            Examples:
              runner soundtrack film.mp4 -o scored.mp4 --music bed.mp3 --fade-in 2 --fade-out 3 --level=-6
              runner soundtrack film.mp4 -o voiced.mp4 --music bed.mp3 --voice 0:intro.m4a --voice 12.5:two.wav --duck 12
            """
    )

    @Argument(help: "The film.")
    var film: String

    @Option(name: .shortAndLong, help: "The film with its new sound (.mp4 or .webm, as the film).")
    var output: String

    @Option(help: "A music bed, looped or trimmed to the film.")
    var music: String?

    @Option(help: "Seconds of fade in of the music.")
    var fadeIn: Double = 0

    @Option(help: "Seconds of fade out of the music.")
    var fadeOut: Double = 0

    @Option(help: "The music's gain in dB (write a negative one as --level=-6).")
    var level: Double = 0

    @Option(help: "A voice file from SECONDS into the film: SECONDS:FILE (repeatable).")
    var voice: [String] = []

    @Flag(help: "Leave the film's own sound out.")
    var dropClipAudio = false

    @Option(help: "Lower the music by this many dB while a voice is heard.")
    var duck: Double?

    @Option(help: "Seconds the ducking takes to go down.")
    var attack: Double = 0.05

    @Option(help: "Seconds the ducking takes to come back.")
    var release: Double = 0.4

    @Option(help: "Integrated loudness target in LUFS.")
    var loudness: Double = -14

    @Option(help: "True-peak ceiling in dBTP.")
    var truePeak: Double = -1

    func validate() throws {
        for entry in voice where Self.voicePlacement(entry) == nil {
            throw ValidationError("--voice \(entry) is not SECONDS:FILE (such as 12.5:line.wav)")
        }
    }

    static func voicePlacement(_ text: String) -> SoundtrackRecipe.Voice? {
        guard let colon = text.firstIndex(of: ":"), let start = Double(text[..<colon]), start >= 0 else { return nil }
        let path = String(text[text.index(after: colon)...])
        return path.isEmpty ? nil : SoundtrackRecipe.Voice(path: path, start: start)
    }

    func run() async throws {
        let recipe = SoundtrackRecipe(
            music: music.map { .init(path: $0, fadeIn: fadeIn, fadeOut: fadeOut, level: level) },
            voices: voice.compactMap(Self.voicePlacement), keepClipAudio: !dropClipAudio,
            ducking: duck.map { .init(depth: $0, attack: attack, release: release) }, loudnessTarget: loudness,
            truePeak: truePeak)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runner-soundtrack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            let report = try Soundtrack.render(
                film: film, output: output, format: output.lowercased().hasSuffix(".webm") ? .webm : .mp4,
                recipe: recipe, scratch: scratch.path)
            for warning in report.warnings { StandardError.write("warning: \(warning)\n") }
            let shown = { (value: Double?) in value.map { String(format: "%.1f", $0) } ?? "silent" }
            print(
                "\(output): \(shown(report.integrated)) LUFS, gain \(String(format: "%+.1f", report.gain)) dB, "
                    + "\(report.passes) pass\(report.passes == 1 ? "" : "es") of gain and limiting")
        } catch {
            throw mediaFailure(error)
        }
    }
}
