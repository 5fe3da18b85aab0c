import ArgumentParser
import Foundation
import Media

/// `runner merge CLIP... -o OUT`: join clips into one video, losslessly when they allow it.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge clips into one video: copied without re-encoding when they all match, otherwise re-encoded.",
        discussion: """
            Modes: auto (default) copies when every clip shares codec parameters and re-encodes otherwise; \
            copy refuses clips that differ, naming the first one and what differs; reencode always re-encodes \
            (scale and pad to --size, convert to --fps, H.264 MP4 or VP9 WebM).

            Every mode plays the clips as a player shows them one by one: each clip lasts its shown video \
            (frames its edit list hides stay hidden), its sound starts where its picture starts (AAC and \
            Opus priming and padding accounted for, audio past the picture cut, within half an audio frame \
            at each join in copy mode), and it keeps its rotation and pixel aspect. Clips a copy cannot \
            keep exact (rotation or pixel aspect differing, frames hidden by an edit list after a join, \
            audio stopping short) are refused by copy and re-encoded by auto, which says why. \
            `runner probe` shows each clip's timeline and geometry.

            With --transition, clips that share H.264 parameters are copied group of pictures by group of \
            pictures and only the frames from the keyframe before each join to the keyframe after it are \
            re-encoded (the sound is re-encoded whole, crossfaded at the joins); other clips are re-encoded \
            whole, and the result says why.

            The output is written to a temporary file and renamed at the end; MP4 has its moov box first.

            Exit status: 0 on success, 1 when the work fails, 2 for invalid input or usage.

            Examples:
              runner merge clips/*.mp4 -o film.mp4
              runner merge a.mp4 b.mp4 -o film.mp4 --mode reencode --size 1280x720 --fps 24 --quality 0.8
              runner merge a.mp4 b.mp4 -o film.webm --format webm --transition crossfade:0.5
            """
    )

    @Argument(help: "The clips, in order.")
    var clips: [String] = []

    @Option(name: .shortAndLong, help: "The merged file.")
    var output: String

    @Option(help: "auto, copy or reencode.")
    var mode: MergeMode = .auto

    @Option(help: "mp4 (H.264/AAC) or webm (VP9/Opus); default from the output's extension.")
    var format: OutputFormat?

    @Option(help: "Frame rate when re-encoding (default: the first clip's).")
    var fps: Double?

    @Option(help: "WIDTHxHEIGHT when re-encoding, aspect kept with padding (default: the first clip's).")
    var size: String?

    @Option(help: "Quality when re-encoding, 0.1 to 1.0.")
    var quality: Double = 0.75

    @Option(
        help: """
            Transition at every join, TYPE:SECONDS (crossfade, dip-to-black, wipe-left, wipe-right, slide-left, \
            slide-right); H.264 clips that share parameters are re-encoded only around the joins.
            """)
    var transition: String?

    func validate() throws {
        do {
            if let size { _ = try FrameSize(parsing: size) }
            if let transition { _ = try Transition(parsing: transition) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        var options = MergeOptions(mode: mode, quality: quality)
        options.format = format ?? (output.lowercased().hasSuffix(".webm") ? .webm : .mp4)
        options.fps = fps
        do {
            if let size { options.size = try FrameSize(parsing: size) }
            if let transition { options.transition = try Transition(parsing: transition) }
            // Progress on a terminal only, rewriting one line; logs and pipes get just the result.
            let showProgress = isatty(STDERR_FILENO) == 1
            let report = try ClipMerger.merge(inputs: clips, output: output, options: options) { progress in
                guard showProgress else { return }
                let end = progress.clipsDone == progress.clipCount ? "\n" : ""
                StandardError.write("\rmerged \(progress.clipsDone)/\(progress.clipCount) clips\(end)")
            }
            print(
                "\(report.output): \(report.clipCount) clips, \(String(format: "%.3f", report.duration)) s, \(report.mode.rawValue) (\(report.reason))"
            )
        } catch {
            throw mediaFailure(error)
        }
    }
}

extension MergeMode: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
