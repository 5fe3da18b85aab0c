/// One stage of the pipeline graph.
public struct Stage: Sendable {
    public var name: String
    /// The stages this one reads, in order.
    public var needs: [String]
    public var kind: Kind
    public var position: SourcePosition

    /// A stage's type and its options.
    public enum Kind: Sendable {
        case frames(FramesOptions)
        case generate(GenerateOptions)
        case merge(MergeOptions)
        case publish(PublishOptions)
        case soundtrack(SoundtrackOptions)
        case captions(CaptionsOptions)
    }

    /// The type as written in the manifest.
    public var type: StageType {
        switch kind {
        case .frames: return .frames
        case .generate: return .generate
        case .merge: return .merge
        case .publish: return .publish
        case .soundtrack: return .soundtrack
        case .captions: return .captions
        }
    }
}

/// The stage types.
public enum StageType: String, Sendable, CaseIterable, Codable {
    case frames, generate, merge, publish, soundtrack, captions
}

/// The images at a location, in order.
public struct FramesOptions: Sendable {
    public var from: Location
    public var include: [String]
    public var order: FrameOrder

    /// The image types a frames stage picks up when `include` is not given.
    public static let defaultInclude = ["*.png", "*.jpg", "*.jpeg", "*.webp", "*.heic", "*.heif", "*.avif"]
    /// The extensions (lower case) of the image types the runner reads: an `include` pattern that can match none
    /// of them is warned about (issue #14).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "webp", "heic", "heif", "hif", "avif"]
}

/// What a generate stage does when a clip fails for good.
public enum FailurePolicy: String, Sendable, CaseIterable, Codable {
    /// Stop the run.
    case fail
    /// Leave the clip out and merge the rest.
    case skip
}

/// How a generate stage's clips follow one another (`chain`, issue #18).
public enum KeyframeChain: String, Sendable, CaseIterable, Codable {
    /// One clip per frame, each from its frame alone (`chain: false`, the default).
    case off = "false"
    /// Clip i goes from frame i (its first keyframe) to frame i+1 (its last): N frames make N-1 clips, which a
    /// lossless merge plays as one shot (`chain: true`).
    case open = "true"
    /// As `open`, and one more clip from the last frame back to the first: N frames make N clips (`chain: loop`).
    case loop
}

/// One clip per frame, from a provider.
public struct GenerateOptions: Sendable {
    public var provider: String
    public var model: String
    public var ratio: Ratio
    public var duration: Int
    public var prompt: String?
    public var seed: UInt32?
    /// Clips in flight for this stage; nil means as many as the provider allows.
    public var concurrency: Int?
    public var retries: Int
    public var onFailure: FailurePolicy
    public var to: Location
    public var overrides: [Override]
    /// Whether the clip has a sound track (`audio`, for the models that take it; it changes the price). Always sent to
    /// those models, with the value the plan priced.
    public var audio: Bool = false
    /// What transparent parts of a frame are flattened onto before any provider sees them: `#rrggbb` (default black).
    public var background: String = GenerateOptions.defaultBackground
    /// Black, as viewers show transparency on a dark page and as video has no alpha.
    public static let defaultBackground = "#000000"
    /// Whether each clip ends on the next frame (models that take a `last` keyframe only).
    public var chain: KeyframeChain = .off
    /// How each clip is named under `to` (`{frame}-{key}.mp4` by default).
    public var clipName: ClipName = .standard

    /// The options for one frame: the first override whose glob matches its file name wins.
    public func options(forFrameNamed fileName: String) -> (prompt: String?, seed: UInt32?, duration: Int) {
        guard let override = overrides.first(where: { Glob($0.match).matches(fileName) }) else {
            return (prompt, seed, duration)
        }
        return (override.prompt ?? prompt, override.seed ?? seed, override.duration ?? duration)
    }
}

/// Per-frame settings, chosen by a glob on the frame's file name.
public struct Override: Sendable {
    public var match: String
    public var prompt: String?
    public var seed: UInt32?
    public var duration: Int?
    public var position: SourcePosition
}

/// How clips are joined.
public enum MergeMode: String, Sendable, CaseIterable, Codable {
    /// Copy when every clip matches, otherwise re-encode.
    case auto
    /// Lossless remux; refused when clips differ.
    case copy
    /// Decode and encode again, to one size and frame rate.
    case reencode
}

/// The container and codecs of a merged video.
public enum VideoFormat: String, Sendable, CaseIterable, Codable {
    /// H.264 (and AAC) in MP4.
    case mp4
    /// VP9 in WebM; always re-encoded.
    case webm
}

/// A pixel size written `WIDTHxHEIGHT`.
public struct VideoSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1280x720` (or `1280X720`).
    public init?(_ text: String) {
        guard let (width, height) = Ratio.pixelPair(text.lowercased(), separator: "x") else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }
}

/// A transition between merged clips: the end of one clip and the start of the next overlap for `duration`.
public struct Transition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// The earlier clip fades into the later one.
        case crossfade
        /// Fade to black, then in from black.
        case dipToBlack = "dip-to-black"
        /// The later clip is uncovered from the right edge to the left.
        case wipeLeft = "wipe-left"
        /// The later clip is uncovered from the left edge to the right.
        case wipeRight = "wipe-right"
        /// The later clip slides in from the right, pushing the earlier one out to the left.
        case slideLeft = "slide-left"
        /// The later clip slides in from the left, pushing the earlier one out to the right.
        case slideRight = "slide-right"
    }

    public var kind: Kind
    /// Seconds the transition lasts (the clips overlap this long).
    public var duration: Double

    public init(kind: Kind, duration: Double) {
        self.kind = kind
        self.duration = duration
    }
}

/// The transition at the join after each clip whose frame's file name matches `after`.
public struct JoinTransition: Sendable, Equatable {
    /// A glob on the frame's file name, as `overrides[].match`.
    public var after: String
    public var transition: Transition
    /// Where the entry is written, for messages about it.
    public var position: SourcePosition

    public init(after: String, transition: Transition, position: SourcePosition) {
        self.after = after
        self.transition = transition
        self.position = position
    }
}

/// Clips joined into one video.
public struct MergeOptions: Sendable {
    public var mode: MergeMode
    public var format: VideoFormat
    public var fps: Double?
    public var quality: Double
    public var size: VideoSize?
    /// The transition at every join.
    public var transition: Transition?
    /// Transitions at single joins, overriding `transition`; the first entry matching a clip's frame wins.
    public var transitions: [JoinTransition] = []
}

/// The finished video put in its place, with a link and a record.
public struct PublishOptions: Sendable {
    public var to: Location
    public var presign: Duration?
    public var record: Location?
    public var webhook: String?
    public var webhookSecret: Secret?
}
