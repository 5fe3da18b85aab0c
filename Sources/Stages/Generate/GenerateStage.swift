import Foundation
import Manifest
import Media
import Storage

/// One clip to make: the frame, the key of everything that determines the clip, and where it goes.
public struct ClipWork: Sendable {
    public let frame: Artifact
    public let key: ContentKey
    /// Where the clip is stored: `<to>/<frame-stem>-<key8>.mp4`.
    public let clip: Location
    public let model: String
    public let ratio: Ratio
    public let duration: Int
    public let prompt: String?
    public let seed: UInt32?
    /// Credits a new generation can cost at most (the catalog's price with the clip's options).
    public let estimatedCredits: Double
    /// A sound track (models that take `audio` only).
    public var audio = false
}

/// A `generate` stage: one clip per frame, from a provider.
public struct GenerateStage: Sendable {
    /// The version of the clips the runner makes; raising it regenerates every clip.
    public static let clipFormatVersion = "clip-v1"

    public let name: String
    public let options: GenerateOptions
    public let provider: Provider

    /// The stage named `name`, with its options and its provider.
    public init(name: String, options: GenerateOptions, provider: Provider) {
        self.name = name
        self.options = options
        self.provider = provider
    }

    /// The work for each frame, in frame order.
    public func work(for frames: [Artifact]) throws -> [ClipWork] {
        let spec = ModelCatalog.model(named: options.model, for: provider.type)
        return try frames.map { frame in
            let fileName = frame.name.split(separator: "/").last.map(String.init) ?? frame.name
            let chosen = options.options(forFrameNamed: fileName)
            var inputs = [
                "frame": frame.digest.description,
                "provider": provider.type.rawValue,
                "model": options.model,
                "ratio": options.ratio.description,
                "duration": String(chosen.duration),
                "prompt": chosen.prompt ?? "",
                "seed": chosen.seed.map(String.init) ?? "",
            ]
            if case .kenburns(let settings) = provider.settings { inputs["fps"] = String(settings.fps) }
            // Only when set, so that the keys (and clips) of stages without it stay as they were.
            if options.background != GenerateOptions.defaultBackground { inputs["background"] = options.background }
            // Only for the models that take it, so that the keys (and clips) of every other model stay as they were.
            let audio = (spec?.acceptsAudio ?? false) && options.audio
            if spec?.acceptsAudio == true { inputs["audio"] = String(audio) }
            let key = try ContentKey(kind: Self.clipFormatVersion, inputs: inputs)
            let stem = frame.name.lastIndex(of: ".").map { String(frame.name[..<$0]) } ?? frame.name
            var work = ClipWork(
                frame: frame, key: key, clip: options.to.appending("\(stem)-\(key.short).mp4"),
                model: options.model, ratio: options.ratio, duration: chosen.duration,
                prompt: chosen.prompt, seed: chosen.seed,
                estimatedCredits: spec?.credits(seconds: chosen.duration, audio: audio) ?? 0)
            work.audio = audio
            return work
        }
    }

    /// Makes one clip and stores it: the frame is handed to the generator (a link or a local file),
    /// the clip is checked with `MediaProbe`, hashed, and uploaded to its place under `to`. Everything the work
    /// pays for, and how it goes, is told to `run`; a failure comes mapped by the generator (`VideoGenerator.failure(for:)`).
    public func make(
        _ work: ClipWork, generator: any VideoGenerator, stores: StoreCache, workDirectory: URL,
        resumeTaskID: String?, run: any ItemRun
    ) async throws(ItemFailure) -> (clip: Artifact, result: GenerationResult) {
        let scratch = workDirectory.appendingPathComponent(work.key.hex, isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source: FrameSource
        do {
            try stores.checkWrite(path: scratch.path)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            source = try await frameSource(work.frame, generator: generator, stores: stores, scratch: scratch)
        } catch {
            throw ItemFailure.mapping(error)
        }
        var job = GenerationJob(
            frame: source, frameName: work.frame.name, model: work.model, ratio: work.ratio,
            duration: work.duration, prompt: work.prompt, seed: work.seed,
            resumeTaskID: resumeTaskID, retries: options.retries)
        job.audio = work.audio
        let output = scratch.appendingPathComponent("clip.mp4")
        let result: GenerationResult
        do {
            result = try await generator.generate(job, to: output, run: run)
        } catch {
            throw generator.failure(for: error)
        }
        do {
            var clip = try await StoredFile.store(
                output, at: work.clip, name: work.frame.name, contentType: "video/mp4", stores: stores)
            clip.source = work.frame.location
            return (clip, result)
        } catch {
            throw ItemFailure.mapping(error)
        }
    }

    private func frameSource(
        _ frame: Artifact, generator: any VideoGenerator, stores: StoreCache,
        scratch: URL
    ) async throws -> FrameSource {
        // Every generator gets the frame's prepared image (issue #14): oriented, flattened, a JPEG, made once per
        // frame content. A presigned link to the frame itself would answer with whatever type the object was stored
        // with (binary/octet-stream, which Runway refuses) and with the picture unturned.
        let background = RGBColor(parsing: options.background) ?? .black
        return .file(
            path: try await PreparedFrames.prepare(
                frame, background: background, keptUnder: options.to, stores: stores,
                scratch: scratch))
    }
}
