import ArgumentParser
import Foundation
import Media

/// `runner kenburns IMAGE -o OUT`: the offline generator, one still to one clip with a slow zoom and pan.
struct KenBurnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kenburns",
        abstract: "Make an H.264 clip from one still image with a slow, smooth zoom and pan (the offline provider).",
        discussion: """
            The image (PNG, JPEG, WebP, HEIC/HEIF or AVIF) is turned upright by its orientation (EXIF, or \
            HEIF's own), flattened onto --background where it is transparent, and cover-cropped to the size's \
            ratio; the seed picks the direction. The same image and options always give the same bytes. An image \
            that cannot be used (empty, truncated, too large to decode in bounded memory, too thin) is refused \
            with exit status 2 and its shape.

            Exit status: 0 on success, 1 when the work fails, 2 for invalid input or usage.

            Example:
              runner kenburns frame-001.jpg -o clip-001.mp4 --size 1280x720 --duration 5 --seed 1
            """
    )

    @Argument(help: "The still image.")
    var image: String

    @Option(name: .shortAndLong, help: "The MP4 to write.")
    var output: String

    @Option(help: "WIDTHxHEIGHT or a ratio such as 1280:720.")
    var size: String = "1280x720"

    @Option(help: "Seconds.")
    var duration: Double = 5

    @Option(help: "Frames per second.")
    var fps: Int = 24

    @Option(help: "Picks the zoom and pan direction.")
    var seed: UInt64 = 0

    @Option(help: "Quality 0.1 to 1.0.")
    var quality: Double = 0.75

    @Option(help: "x264 preset.")
    var preset: String = "medium"

    @Option(help: "What shows through transparent parts: #rrggbb, black or white.")
    var background: String = "black"

    @Flag(help: "Print where the time went (load, render, encode) on stderr.")
    var timings = false

    func validate() throws {
        guard RGBColor(parsing: background) != nil else {
            throw ValidationError("--background \(background) is not a colour: give #rrggbb, black or white")
        }
        do { _ = try FrameSize(parsing: size) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        do throws(MediaError) {
            guard let colour = RGBColor(parsing: background) else {
                throw MediaError.invalidOption(
                    "--background \(background) is not a colour: give #rrggbb, black or white.")
            }
            let options = KenBurnsOptions(
                size: try FrameSize(parsing: size), duration: duration, fps: fps, seed: seed,
                quality: quality, preset: preset, background: colour)
            let report = try KenBurns.render(image: image, output: output, options: options)
            print("\(report.output): \(report.frames) frames, zoom \(report.zoomDirection)")
            if timings {
                let line = String(
                    format: "load %.3f s, render %.3f s, encode %.3f s\n",
                    report.loadSeconds, report.renderSeconds, report.encodeSeconds)
                StandardError.write(line)
            }
        } catch {
            throw mediaFailure(error)
        }
    }
}
