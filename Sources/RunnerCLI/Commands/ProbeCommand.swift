import ArgumentParser
import Foundation
import Media

/// `runner probe FILE`: container, duration and streams of a media file.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract:
            "Show a media file's container, duration, streams (codec, profile, size, rate, pixel format, time base, rotation, pixel aspect) and timeline as a player shows it.",
        discussion: """
            The timeline line says what a merge places: the span of video shown (frames an edit list hides \
            are counted apart), and the audio against it: the samples decoded before the first shown one \
            (encoder priming, e.g. AAC's 1024) and after the last (padding), where it starts and how far it \
            runs past the picture (cut by a merge) or stops short of it (padded with silence).

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
        let info: MediaInfo
        do { info = try MediaProbe.probe(path: file) } catch { throw mediaFailure(error) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(info)
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print(
                "\(info.path): \(info.container), \(String(format: "%.3f", info.duration)) s, audio: \(info.hasAudio ? "yes" : "no")"
            )
            for stream in info.streams {
                var parts = ["#\(stream.index) \(stream.kind.rawValue): \(stream.codec)"]
                if let profile = stream.profile { parts.append(profile) }
                if let width = stream.width, let height = stream.height { parts.append("\(width)x\(height)") }
                if let rate = stream.frameRateFraction { parts.append("\(rate) fps") }
                if let pixelFormat = stream.pixelFormat { parts.append(pixelFormat) }
                if let geometry = stream.geometry {
                    if geometry.sampleAspectRatio != "1:1" {
                        parts.append("pixel aspect \(geometry.sampleAspectRatio)")
                    }
                    if geometry.rotation != 0 || geometry.mirrored {
                        parts.append("rotated \(geometry.rotation)° clockwise\(geometry.mirrored ? ", mirrored" : "")")
                    }
                    if !geometry.isPlain { parts.append("shown \(geometry.displayWidth)x\(geometry.displayHeight)") }
                }
                if let rate = stream.sampleRate { parts.append("\(rate) Hz") }
                if let channels = stream.channels { parts.append("\(channels) ch") }
                parts.append("time base \(stream.timeBase)")
                print("  " + parts.joined(separator: ", "))
            }
            if let timeline = info.timeline { print("  " + Self.describe(timeline)) }
        }
    }

    /// One line: "timeline: video 2.000 s from 0.000 s (24 frames hidden before); audio: priming 1024, padding 256 samples, starts +0.000 s, runs 0.250 s past the video".
    static func describe(_ timeline: ClipTimeline) -> String {
        var video =
            "timeline: video " + String(format: "%.3f s from %.3f s", timeline.videoDuration, timeline.videoStart)
        var hidden: [String] = []
        if timeline.hiddenFramesBefore > 0 { hidden.append("\(timeline.hiddenFramesBefore) frames hidden before") }
        if timeline.hiddenFramesAfter > 0 { hidden.append("\(timeline.hiddenFramesAfter) frames hidden after") }
        if !hidden.isEmpty { video += " (" + hidden.joined(separator: ", ") + " by its edit list)" }
        guard let audio = timeline.audio else { return video + "; no audio" }
        let overrun = audio.overrun(videoDuration: timeline.videoDuration)
        let end: String
        if abs(overrun) < 0.0005 {
            end = "ends with the video"
        } else if overrun > 0 {
            end = String(format: "runs %.3f s past the video", overrun)
        } else {
            end = String(format: "stops %.3f s before the video ends", -overrun)
        }
        return video
            + "; audio: priming \(audio.primingSamples), padding \(audio.paddingSamples) samples (frames of \(audio.frameSamples)), "
            + String(format: "starts %+.3f s, ", audio.startOffset) + end
    }
}
