import ArgumentParser
import Foundation
import Media

/// `runner probe FILE`: container, duration and streams of a media file.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show a media file's container, duration and streams (codec, profile, size, rate, pixel format, time base).",
        discussion: """
            Exit status: 0 on success, 2 when the file is missing, not media, or truncated.

            Examples:
              runner probe clip.mp4
              runner probe --format json clip.mp4 | jq .streams
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The media file.")
    var file: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() async throws {
        MediaLibraries.silenceLibraryLogs()
        let info: MediaInfo
        do { info = try MediaProbe.probe(path: file) } catch { throw mediaFailure(error) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(info)
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print("\(info.path): \(info.container), \(String(format: "%.3f", info.duration)) s, audio: \(info.hasAudio ? "yes" : "no")")
            for stream in info.streams {
                var parts = ["#\(stream.index) \(stream.kind.rawValue): \(stream.codec)"]
                if let profile = stream.profile { parts.append(profile) }
                if let width = stream.width, let height = stream.height { parts.append("\(width)x\(height)") }
                if let rate = stream.frameRateFraction { parts.append("\(rate) fps") }
                if let pixelFormat = stream.pixelFormat { parts.append(pixelFormat) }
                if let rate = stream.sampleRate { parts.append("\(rate) Hz") }
                if let channels = stream.channels { parts.append("\(channels) ch") }
                parts.append("time base \(stream.timeBase)")
                print("  " + parts.joined(separator: ", "))
            }
        }
    }
}
