import Foundation
import Manifest
import Media

/// The local Ken Burns generator as a `VideoGenerator`: free, offline, and the same bytes for the same inputs.
public struct KenBurnsGenerator: VideoGenerator {
    let settings: KenBurnsSettings

    /// A generator with the provider's settings.
    public init(settings: KenBurnsSettings) {
        self.settings = settings
    }

    public var acceptsFrameLinks: Bool { false }

    public func generate(_ job: GenerationJob, to output: URL, run: any ItemRun) async throws -> GenerationResult {
        guard case .file(let image) = job.frame else {
            throw MediaError.invalidOption(
                "The Ken Burns generator reads local files; \(job.frameName) was given as a link.")
        }
        let options = KenBurnsOptions(
            size: FrameSize(width: job.ratio.width, height: job.ratio.height),
            duration: Double(job.duration), fps: settings.fps,
            seed: UInt64(job.seed ?? Self.seed(for: job.frameName)))
        var ending: KenBurnsEnding?
        if let last = job.lastKeyframe {
            guard case .file(let next) = last.frame else {
                throw MediaError.invalidOption(
                    "The Ken Burns generator reads local files; \(last.frameName) was given as a link.")
            }
            // The seed the next frame's own clip opens with, so that this clip ends on that clip's first picture.
            ending = KenBurnsEnding(image: next, seed: UInt64(last.seed ?? Self.seed(for: last.frameName)))
        }
        run.status(.running(progress: nil))
        _ = try await BlockingWork.run { [ending] shouldStop in
            try KenBurns.render(
                image: image, output: output.path, options: options, endingOn: ending, shouldStop: shouldStop)
        }
        return GenerationResult(taskID: nil, credits: 0)
    }

    /// A cancelled render is a cancellation; any other media error is a local failure (nothing was paid for).
    public func failure(for error: any Error) -> ItemFailure {
        if let media = error as? MediaError, case .cancelled = media { return .cancelled }
        return ItemFailure.mapping(error)
    }

    /// A seed from the frame's name when the stage gives none: frames move differently, reruns alike.
    static func seed(for name: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
