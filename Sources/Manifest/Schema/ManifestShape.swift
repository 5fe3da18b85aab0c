/// The manifest format, version 1, as data: every key, its shape, default and meaning.
public enum ManifestShape {
    /// The identifier rule for names of stages, providers, vars and the session.
    public static let identifierPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"

    static let needs = Field(
        "needs", .oneOrMany(.identifier), required: true,
        example: "[frames]", "The stages this one reads, in order; one name or a list.")
    static let type = Field(
        "type", .text(.identifier), required: true, example: "generate", "The kind of this stage or provider.")

    static let frames = ObjectShape(
        "The still images at a location, in order.",
        [
            type,
            Field(
                "from", .text(.location), required: true,
                example: "s3://my-media/frames/", "The folder or S3 prefix holding the frames; ends with `/`."),
            Field(
                "include", .oneOrMany(.glob),
                default: "[\"*.png\", \"*.jpg\", \"*.jpeg\", \"*.webp\", \"*.heic\", \"*.heif\", \"*.avif\"]",
                example: "[\"*.png\", \"*.jpg\"]",
                "File-name globs of the frames to take (`*`, `?`, `[a-c]`; case is ignored)."),
            Field(
                "order", .choice(FrameOrder.allCases.map(\.rawValue)), default: "natural",
                example: "natural", "`natural` (frame_2 before frame_10), `lexical`, or `modified` (oldest first)."),
        ])

    static let override = ObjectShape(
        "Settings for the frames whose file name matches `match`; the first match wins.",
        [
            Field(
                "match", .text(.glob), required: true, example: "\"frame_03_*\"",
                "A glob on the frame's file name, such as `frame_03_*` (case is ignored)."),
            Field("prompt", .text(.template), example: "Slow push-in on the product", "The prompt for these frames."),
            Field("seed", .integer(min: 0, max: 4_294_967_295), example: "42", "The seed for these frames."),
            Field("duration", .integer(min: 1, max: 60), example: "10", "The clip length in seconds for these frames."),
        ])

    static let generate = ObjectShape(
        "One clip per frame from a provider.",
        [
            type,
            needs,
            Field(
                "provider", .text(.identifier), required: true, example: "runway",
                "The name of a provider under `providers`."),
            Field(
                "model", .text(.template),
                default:
                    "the provider's first model (\(ProviderType.allCases.compactMap { ModelCatalog.defaultModel(for: $0)?.name }.joined(separator: ", ")))",
                example: "gen4_turbo", "The provider's model: \(modelList); see the model table."),
            Field(
                "ratio", .text(.ratio), default: "\"1280:720\"", example: "\"1280:720\"",
                "The clip size, WIDTH:HEIGHT, among the model's ratios."),
            Field(
                "duration", .integer(min: 1, max: 60), default: durationDefaults, example: "5",
                "Clip length in seconds, among the model's durations (\(durationList))."),
            Field(
                "audio", .boolean, default: "false", example: "true",
                "A sound track, for \(ModelCatalog.modelNames(accepting: .audio).joined(separator: " and ")) only; it changes the price "
                    + "(\(audioPrices)) and is always sent to those models."),
            Field(
                "prompt", .text(.template), example: "Smooth cinematic motion",
                "What should happen in the clip; at most 1000 UTF-16 code units."),
            Field(
                "seed", .integer(min: 0, max: 4_294_967_295), example: "7",
                "A fixed seed, so that reruns are reproducible; random when absent."),
            Field(
                "concurrency", .integer(min: 1, max: 100),
                default: "the account's limit for the model, else the provider's concurrency",
                example: "3",
                "Clips in flight at once for this stage; without it, plan and apply read the account's limit (GET /v1/organization)."
            ),
            Field(
                "retries", .integer(min: 0, max: 10), default: "2", example: "2",
                "Retries per clip after a retryable failure."),
            Field(
                "background", .text(.template), default: "\"#000000\"", example: "\"#ffffff\"",
                "The colour transparent parts of a frame are flattened onto before any provider sees them: #rrggbb, black or white."
            ),
            Field(
                "chain", .booleanOr([KeyframeChain.loop.rawValue]), default: "false", example: "true",
                "Keyframe chains: `true` makes clip i go from frame i to frame i+1 (N frames, N-1 clips) so that the "
                    + "merged clips play as one shot; `loop` also ends the last clip on the first frame (N clips). "
                    + "For the models that take a last keyframe: "
                    + "\(ModelCatalog.modelNames(accepting: .lastKeyframe).joined(separator: ", "))."),
            Field(
                "onFailure", .choice(FailurePolicy.allCases.map(\.rawValue)), default: "fail",
                example: "skip",
                "`fail` stops the run when a clip fails for good; `skip` leaves it out and merges the rest."),
            Field(
                "to", .text(.location), required: true, example: "s3://my-media/clips/${vars.user}/",
                "The folder or S3 prefix for the clips; ends with `/`."),
            Field(
                "clipName", .text(.template), default: "\"{frame}-{key}.mp4\"", example: "\"{frame}_video_clip.mp4\"",
                "Each clip's file name under `to`: {frame} is the frame's name without its extension, {key} the first 8 "
                    + "hex digits of the clip's key; letters, digits, '_', '.', '-', ending in .mp4. Without {key}, the "
                    + "clip of a changed frame replaces the old one (two frames that differ only in extension are refused)."
            ),
            Field(
                "overrides", .list(.object(override)), example: "[{ match: \"frame_03_*\", prompt: \"...\" }]",
                "Per-frame settings chosen by file name."),
        ])

    /// "gen4_turbo, gen4.5, ... (runway); kenburns (kenburns)", from the catalog.
    static var modelList: String {
        ProviderType.allCases.map { "\(ModelCatalog.modelNames(for: $0).joined(separator: ", ")) (\($0.rawValue))" }
            .joined(separator: "; ")
    }

    /// "5 (veo3.1: 8, ...)": the catalog's defaults, the most common first.
    static var durationDefaults: String {
        let common = ModelCatalog.defaultModel(for: .runway)?.defaultDuration ?? 5
        let others = ModelCatalog.models.filter { $0.defaultDuration != common }.map {
            "\($0.name): \($0.defaultDuration)"
        }
        return others.isEmpty ? "\(common)" : "\(common) (\(others.joined(separator: ", ")))"
    }

    /// "gen4_turbo 2 to 10, ...".
    static var durationList: String {
        ModelCatalog.models.map { "\($0.name) \($0.durations.summary)" }.joined(separator: "; ")
    }

    /// "veo3.1 20 or 40 credits a second, ...".
    static var audioPrices: String {
        ModelCatalog.models.filter(\.acceptsAudio).map { model in
            "\(model.name) \(model.price.perSecond) or \(model.price.perSecond(audio: true)) credits a second"
        }.joined(separator: ", ")
    }

    static let transitionType = Field(
        "type", .choice(Transition.Kind.allCases.map(\.rawValue)), required: true, example: "dip-to-black",
        "The transition: `crossfade`, `dip-to-black`, `wipe-left` or `wipe-right` (the border moves that way), "
            + "`slide-left` or `slide-right` (the next clip pushes the last one out that way).")
    static let transitionDuration = Field(
        "duration", .seconds(min: 0.04, max: 5), required: true, example: "0.5s",
        "How long the clips overlap: seconds, or a duration such as `500ms`; the film is that much shorter. "
            + "A clip must be at least as long as the transitions on both its sides together (two 1 s transitions "
            + "need 2 s clips between them); the merge checks it when it runs.")

    static let transition = ObjectShape(
        "A transition at every join: the end of a clip and the start of the next overlap.",
        [transitionType, transitionDuration])

    static let joinTransition = ObjectShape(
        "A transition at the joins after the clips of the matching frames.",
        [
            Field(
                "after", .text(.glob), required: true, example: "\"frame_03_*\"",
                "A glob on the frame's file name: the join after that frame's clip (not the last clip's; it has none)."),
            transitionType,
            transitionDuration,
        ])

    static let merge = ObjectShape(
        "The clips of the stages it needs, joined in order into one video.",
        [
            type,
            needs,
            Field(
                "mode", .choice(MergeMode.allCases.map(\.rawValue)), default: "auto",
                example: "copy", "`copy` (lossless remux), `reencode`, or `auto` (copy when every clip matches)."),
            Field(
                "format", .choice(VideoFormat.allCases.map(\.rawValue)), default: "mp4",
                example: "webm", "`mp4` (H.264) or `webm` (VP9, always re-encoded)."),
            Field(
                "fps", .number(min: 1, max: 240), default: "the first clip's", example: "24",
                "Frame rate when re-encoding."),
            Field(
                "quality", .number(min: 0.1, max: 1), default: "0.8", example: "0.9",
                "Quality when re-encoding, 0.1 to 1.0."),
            Field(
                "size", .text(.size), default: "the first clip's", example: "1280x720",
                "Pixel size when re-encoding, WIDTHxHEIGHT."),
            Field(
                "transition", .object(transition), example: "{ type: crossfade, duration: 0.5s }",
                "The transition at every join; only the frames around each join are re-encoded when the clips allow."),
            Field(
                "transitions", .list(.object(joinTransition)),
                example: "[{ after: \"frame_03_*\", type: wipe-left, duration: 1s }]",
                "Transitions at single joins, overriding `transition`; the first entry matching a frame wins."),
        ])

    static let publish = ObjectShape(
        "The finished video put at its destination, with a link and a record.",
        [
            type,
            needs,
            Field(
                "to", .text(.location), required: true,
                example: "s3://my-media/final/${session}.mp4",
                "The video's file or S3 key; a folder (`/` at the end) gets `SESSION.mp4`."),
            Field("presign", .text(.duration), example: "24h", "Also make a time-limited link (S3 only), at most 7d."),
            Field(
                "record", .text(.location), example: "./out/${session}.json", "Where to write the run record (JSON)."),
            Field(
                "webhook", .text(.url), example: "https://example.com/hooks/video",
                "POST the run record as JSON to this URL."),
            Field(
                "webhookSecret", .text(.secret), example: "${env:WEBHOOK_SECRET}",
                "Signs the webhook's body (HMAC-SHA256); `${env:...}`."),
        ])

    static let runway = ObjectShape(
        "Runway's image-to-video API.",
        [
            Field("type", .text(.identifier), required: true, example: "runway", "`runway`."),
            Field(
                "apiKey", .text(.secret), required: true, example: "${env:RUNWAYML_API_SECRET}",
                "The API key; write `${env:RUNWAYML_API_SECRET}`, never the key."),
            Field(
                "baseURL", .text(.url), default: "RUNWAYML_BASE_URL, else https://api.dev.runwayml.com",
                example: "${env:RUNWAYML_BASE_URL:-https://api.dev.runwayml.com}", "The API's base URL."),
            Field(
                "concurrency", .integer(min: 1, max: 100), default: "the account's per-model limits, else 1",
                example: "5",
                "Tasks in flight at once over every stage of this provider; without it, each model's limit is read from the account."
            ),
            Field(
                "pollInterval", .text(.duration), default: "6s", example: "6s",
                "How often to poll a running task (sooner near its end, when its progress says when that is)."),
            Field(
                "timeout", .text(.duration), default: "30m", example: "45m",
                "How long one task may take before it is given up."),
        ])

    static let kenburns = ObjectShape(
        "The local, free, offline pan-and-zoom generator.",
        [
            Field("type", .text(.identifier), required: true, example: "kenburns", "`kenburns`."),
            Field("concurrency", .integer(min: 1, max: 64), default: "2", example: "4", "Clips rendered at once."),
            Field("fps", .integer(min: 1, max: 120), default: "24", example: "30", "Frames per second."),
        ])

    static let s3 = ObjectShape(
        "Settings for every s3:// location in the manifest.",
        [
            Field(
                "region", .text(.template), default: "AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1",
                example: "eu-west-1", "The bucket's region."),
            Field(
                "endpoint", .text(.url), default: "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS",
                example: "http://127.0.0.1:9000", "An S3-compatible endpoint (MinIO, R2, Ceph, moto)."),
            Field(
                "pathStyle", .boolean, default: "true for custom endpoints", example: "true",
                "Address buckets as /bucket/key."),
            Field(
                "profile", .text(.template), default: "AWS_PROFILE, else default", example: "media",
                "A profile of ~/.aws/credentials."),
        ])

    static let budget = ObjectShape(
        "Spending limits.",
        [
            Field(
                "maxCredits", .number(min: 0, max: nil), example: "500",
                "Refuse to start, and stop submitting, beyond this many credits.")
        ])

    /// The whole manifest.
    public static let root = ObjectShape(
        "A runner pipeline manifest.",
        [
            Field("version", .constant(1), required: true, example: "1", "The manifest format version: 1."),
            Field(
                "name", .text(.identifier), required: true, example: "launch-teaser",
                "The pipeline's name; state and records are keyed by it."),
            Field(
                "session", .text(.template), default: "the name", example: "${vars.user}-v2",
                "Used in output paths; must be an identifier once interpolated."),
            Field(
                "vars", .dictionary(.scalar), example: "{ user: alice }",
                "Variables for `${vars.NAME}`; `--var NAME=VALUE` overrides them."),
            Field("s3", .object(s3), example: "{ region: us-east-1 }", "S3 settings."),
            Field(
                "providers",
                .dictionary(
                    .tagged(
                        TaggedShape(
                            "A provider of clips.",
                            [
                                (ProviderType.runway.rawValue, runway), (ProviderType.kenburns.rawValue, kenburns),
                            ]))), example: "{ draft: { type: kenburns } }", "Providers of clips, by name."),
            Field(
                "state", .text(.location), default: ".runner/state/ beside the manifest",
                example: "s3://my-media/runner-state/", "Where checkpoints are kept: a folder or an S3 prefix."),
            Field("budget", .object(budget), example: "{ maxCredits: 500 }", "Spending limits."),
            Field(
                "stages",
                .dictionary(
                    .tagged(
                        TaggedShape(
                            "A stage of the pipeline.",
                            [
                                (StageType.frames.rawValue, frames), (StageType.generate.rawValue, generate),
                                (StageType.merge.rawValue, merge), (StageType.publish.rawValue, publish),
                                (StageType.soundtrack.rawValue, soundtrack),
                                (StageType.captions.rawValue, captions),
                            ]))), required: true, example: "{ frames: { type: frames, from: ./frames/ } }",
                "The stages, by name; `needs` links them into a graph."),
        ])
}
