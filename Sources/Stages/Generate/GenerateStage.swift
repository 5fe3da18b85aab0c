import Foundation
import Manifest
import Media
import Storage

/// One clip to make: the frame, the key of everything that determines the clip, and where it goes.
public struct ClipWork: Sendable {
    /// The frame the clip starts on (its only frame, unchained).
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
    /// The frame the clip ends on (`chain`), or nil for a clip of its frame alone.
    public var lastFrame: Artifact?
    /// The seed the Ken Burns generator opens the last frame's own clip with, so this clip ends on that view.
    public var lastSeed: UInt32?
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

    /// The work for each clip, in film order: one per frame, or one per pair of frames in a chain (`keyframes(of:)`).
    public func work(for frames: [Artifact]) throws -> [ClipWork] {
        let spec = ModelCatalog.model(named: options.model, for: provider.type)
        let work = try keyframes(of: frames).map { keyframes in
            let frame = keyframes.first
            // A clip's own options are its first frame's.
            let chosen = options.options(forFrameNamed: Self.fileName(of: frame))
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
            // A chained clip also depends on the frame it ends on, by its role: changing one frame makes again
            // exactly the two clips that touch it. Unchained keys have no such input and stay as they were.
            var lastSeed: UInt32?
            if let last = keyframes.last {
                inputs["lastFrame"] = last.digest.description
                if case .kenburns = provider.settings {
                    // The views the clip starts and ends on are the two frames' opening views, which their seeds
                    // choose (from the file name when the stage gives none).
                    let seed = chosen.seed ?? KenBurnsGenerator.seed(for: frame.name)
                    let next =
                        options.options(forFrameNamed: Self.fileName(of: last)).seed
                        ?? KenBurnsGenerator.seed(for: last.name)
                    inputs["seed"] = String(seed)
                    inputs["lastSeed"] = String(next)
                    lastSeed = next
                }
            }
            let key = try ContentKey(kind: Self.clipFormatVersion, inputs: inputs)
            let stem = frame.name.lastIndex(of: ".").map { String(frame.name[..<$0]) } ?? frame.name
            var work = ClipWork(
                frame: frame, key: key,
                clip: options.to.appending(options.clipName.fileName(frame: stem, key: key.short)),
                model: options.model, ratio: options.ratio, duration: chosen.duration,
                prompt: chosen.prompt, seed: chosen.seed,
                estimatedCredits: spec?.credits(seconds: chosen.duration, audio: audio) ?? 0)
            work.audio = audio
            work.lastFrame = keyframes.last
            work.lastSeed = lastSeed
            return work
        }
        try checkNames(work)
        return work
    }

    /// Each clip's name fits its store (a file name's 255 bytes, an S3 key's 1024), and two clips of different keys
    /// never share one location, where they would overwrite each other (a `clipName` without {key}, and frames that
    /// differ only in extension, `a.jpg` and `a.png`): refused, naming the frames. Clips of one key share it.
    func checkNames(_ work: [ClipWork]) throws(StageError) {
        var first: [Location: ClipWork] = [:]
        for clip in work {
            // Found now, before the clip is paid for, not when it is stored.
            switch clip.clip {
            case .local:
                let bytes = clip.clip.lastComponent.utf8.count
                guard bytes <= LocalFiles.nameMax else {
                    throw .clipNameTooLong(
                        stage: name, frame: clip.frame.name, bytes: bytes, limit: LocalFiles.nameMax, what: "file name")
                }
            case .s3(_, let key):
                guard key.utf8.count <= S3Store.maximumKeyBytes else {
                    throw .clipNameTooLong(
                        stage: name, frame: clip.frame.name, bytes: key.utf8.count, limit: S3Store.maximumKeyBytes,
                        what: "key")
                }
            }
            if let earlier = first[clip.clip] {
                guard earlier.key == clip.key else {
                    throw .clipNamesCollide(
                        stage: name, clip: clip.clip.description, frame: earlier.frame.name,
                        otherFrame: clip.frame.name,
                        pattern: options.clipName.pattern, at: options.clipName.position)
                }
                continue
            }
            first[clip.clip] = clip
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
        var last: GenerationJob.LastKeyframe?
        do {
            try stores.checkWrite(path: scratch.path)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            source = try await frameSource(work.frame, generator: generator, stores: stores, scratch: scratch)
            if let lastFrame = work.lastFrame {
                // Both keyframes are prepared the same way (orientation, HEIC, size), each in its own folder.
                let folder = scratch.appendingPathComponent("last", isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                last = GenerationJob.LastKeyframe(
                    frame: try await frameSource(lastFrame, generator: generator, stores: stores, scratch: folder),
                    frameName: lastFrame.name, seed: work.lastSeed)
            }
        } catch {
            throw ItemFailure.mapping(error)
        }
        var job = GenerationJob(
            frame: source, frameName: work.frame.name, model: work.model, ratio: work.ratio,
            duration: work.duration, prompt: work.prompt, seed: work.seed,
            resumeTaskID: resumeTaskID, retries: options.retries)
        job.audio = work.audio
        job.lastKeyframe = last
        let output = scratch.appendingPathComponent("clip.mp4")
        let result: GenerationResult
        do {
            result = try await generator.generate(job, to: output, run: run)
        } catch {
            throw generator.failure(for: error)
        }
        do {
            // The clip is its first frame's (a chained one too): the run record, the film's chapters and the stages
            // that place things per frame name it by that frame.
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
