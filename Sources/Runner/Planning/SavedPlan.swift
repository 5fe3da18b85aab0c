import Foundation

/// A plan saved by `runner plan MANIFEST --out FILE`, for `runner apply FILE` to do exactly that plan later (issue 17).
///
/// It holds the facts the plan was made from: the manifest's bytes (their SHA-256) and the non-secret values
/// interpolated into it (their SHA-256s), each frame's digest, each item's key and decision, the prices it was costed
/// at and the runner's version. Apply plans again, builds the same value and compares the two
/// (`changes(comparedTo:)`): it refuses, naming what changed, rather than do something other than what was approved.
///
/// A saved plan holds no secrets and no links: no API key, no webhook secret, no secret variable (not even its
/// digest), no presigned URL. `apply FILE` reads secrets from the environment as `apply MANIFEST` does. A saved plan
/// is read back as untrusted input: `load(_:file:)` checks its size, its format marker and version and every field
/// (docs/saved-plan.schema.json describes the same file).
public struct SavedPlan: Sendable, Equatable, Codable {
    /// The value of `format`: what marks a file as a saved plan.
    public static let formatMarker = "runner-saved-plan"
    /// The format version this runner writes and reads; it changes when a field is added or changes meaning.
    public static let currentVersion = 1
    /// The largest file `load` reads: a plan of 10,000 clips takes under 4 MB.
    public static let maximumBytes = 16 << 20

    /// The manifest the plan was made from.
    public struct ManifestSource: Sendable, Equatable, Codable {
        /// The manifest's path relative to the plan file's folder where it can be, else as given to `plan`.
        public var path: String
        /// SHA-256 (64 lower-case hex digits) of the manifest file's bytes: its text, comments included. Values from
        /// `--var` and the environment are not in these bytes; they are in `values`.
        public var sha256: String
        /// The values interpolated into the manifest that are not secrets, sorted by reference.
        public var values: [InterpolatedValue]

        /// A manifest source.
        public init(path: String, sha256: String, values: [InterpolatedValue] = []) {
            self.path = path
            self.sha256 = sha256
            self.values = values.sorted { $0.reference < $1.reference }
        }

        enum CodingKeys: String, CodingKey {
            case path, sha256, values
        }
    }

    /// One value the manifest reads from outside its text: a variable after `--var` overrides (`vars.NAME`), or an
    /// environment variable it interpolates (`env:NAME`). Only its SHA-256 is kept, and only for values that are not
    /// secrets: a secret's digest would let anyone holding the plan test guesses of it.
    public struct InterpolatedValue: Sendable, Equatable, Codable {
        /// `vars.NAME` or `env:NAME`.
        public var reference: String
        /// SHA-256 (64 lower-case hex digits) of the value's UTF-8 bytes.
        public var sha256: String

        /// A value's reference and digest.
        public init(reference: String, sha256: String) {
            self.reference = reference
            self.sha256 = sha256
        }

        enum CodingKeys: String, CodingKey {
            case reference, sha256
        }
    }

    /// The command-line options that change decisions.
    public struct Options: Sendable, Equatable, Codable {
        /// `--retry-failed`: items that failed for good are made again.
        public var retryFailed: Bool

        /// Options.
        public init(retryFailed: Bool = false) { self.retryFailed = retryFailed }

        enum CodingKeys: String, CodingKey {
            case retryFailed
        }
    }

    /// One frame a frames stage found.
    public struct Frame: Sendable, Equatable, Codable {
        /// The frame's name relative to the frames location.
        public var name: String
        /// What identifies its content, as in a checkpoint record: `sha256:HEX` for a local frame; for an S3 frame
        /// `md5:HEX` or `etag:TEXT` from its ETag (`size:N` when the listing gave none).
        public var digest: String

        /// A frame.
        public init(name: String, digest: String) {
            self.name = name
            self.digest = digest
        }

        enum CodingKeys: String, CodingKey {
            case name, digest
        }
    }

    /// A file a stage reads itself (a film stage's music, voice, subtitles, font), as the plan found it: apply refuses,
    /// naming it, when its content changed, even for a stage whose key was not known yet.
    public struct OwnFile: Sendable, Equatable, Codable {
        /// What it is for: `music`, `voice[3]`, `from`.
        public var role: String
        /// An `s3://` URL, or a path (`./...` relative to the manifest's folder when inside it).
        public var location: String
        /// What identified its content (`sha256:HEX` for a local file; `md5:HEX`, `etag:TEXT` or `size:N` for an S3
        /// object); nil when it could not be read then.
        public var digest: String?

        /// A file.
        public init(role: String, location: String, digest: String?) {
            self.role = role
            self.location = location
            self.digest = digest
        }

        enum CodingKeys: String, CodingKey {
            case role, location, digest
        }
    }

    /// What apply would do with an item: the values of `runner plan --format json`'s `action`.
    public enum Action: String, Sendable, Equatable, Codable, CaseIterable {
        case create, regenerate, cached, resume, failed, refused, unusable, skipped

        /// Whether apply does work for it (and may pay for it).
        public var isPending: Bool { self == .create || self == .regenerate || self == .resume }
    }

    /// One work item and its decision.
    public struct Item: Sendable, Equatable, Codable {
        /// The frame's name, or the stage's name for a merge or a publish.
        public var item: String
        /// The item's key (64 lower-case hex digits); nil when it is known only once its inputs exist (a merge whose
        /// clips are not all made yet), and for frames a stage refused or skipped.
        public var key: String?
        public var action: Action
        /// Why it is made again, failed or refused, as `runner plan` prints it.
        public var reason: String?
        /// The provider's task a `resume` polls.
        public var taskID: String?
        /// Where the output is or will be: an `s3://` URL, or a path (relative to the manifest's folder, `./...`,
        /// when inside it). Never a link.
        public var location: String?
        /// Credits a new generation is expected to cost at most (0 for cached, resumed and local items).
        public var credits: Double

        /// An item.
        public init(
            item: String, key: String?, action: Action, reason: String? = nil, taskID: String? = nil,
            location: String? = nil, credits: Double = 0
        ) {
            self.item = item
            self.key = key
            self.action = action
            self.reason = reason
            self.taskID = taskID
            self.location = location
            self.credits = credits
        }

        enum CodingKeys: String, CodingKey {
            case item, key, action, reason, taskID, location, credits
        }

        /// `key` is written as `null` when unknown, so that "known when its inputs exist" is said, not implied.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(item, forKey: .item)
            try container.encode(key, forKey: .key)
            try container.encode(action, forKey: .action)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encodeIfPresent(taskID, forKey: .taskID)
            try container.encodeIfPresent(location, forKey: .location)
            try container.encode(credits, forKey: .credits)
        }
    }

    /// One stage of the plan.
    public struct Stage: Sendable, Equatable, Codable {
        public var name: String
        /// The stage's kind as the manifest names it: `frames`, `generate`, `merge`, `publish`.
        public var type: String
        /// For a frames stage, the frames it found, in film order; nil for other stages.
        public var frames: [Frame]?
        /// The files the stage reads itself (a film stage's), in the stage's order; nil for stages that read none.
        public var files: [OwnFile]?
        /// The items and their decisions, in order (for a frames stage: the files it refused or skipped).
        public var items: [Item]

        /// A stage.
        public init(name: String, type: String, frames: [Frame]? = nil, files: [OwnFile]? = nil, items: [Item]) {
            self.name = name
            self.type = type
            self.frames = frames
            self.files = files
            self.items = items
        }

        /// The item named `name`.
        public func item(named name: String) -> Item? { items.first { $0.item == name } }

        enum CodingKeys: String, CodingKey {
            case name, type, frames, files, items
        }
    }

    /// The catalog's price of one model, as the plan used it.
    public struct Price: Sendable, Equatable, Codable {
        /// The provider type (`runway`, `kenburns`).
        public var provider: String
        public var model: String
        /// Credits per second of video without options.
        public var creditsPerSecond: Double
        /// Credits per second with `audio: true`, for models that take it.
        public var creditsPerSecondWithAudio: Double?

        /// A price.
        public init(provider: String, model: String, creditsPerSecond: Double, creditsPerSecondWithAudio: Double? = nil)
        {
            self.provider = provider
            self.model = model
            self.creditsPerSecond = creditsPerSecond
            self.creditsPerSecondWithAudio = creditsPerSecondWithAudio
        }

        enum CodingKeys: String, CodingKey {
            case provider, model, creditsPerSecond, creditsPerSecondWithAudio
        }
    }

    /// The prices the plan was costed at: the catalog's, for every model a generate stage of the pipeline uses.
    public struct Prices: Sendable, Equatable, Codable {
        /// US dollars per credit.
        public var dollarsPerCredit: Double
        /// Sorted by provider, then model.
        public var models: [Price]

        /// Prices.
        public init(dollarsPerCredit: Double, models: [Price]) {
            self.dollarsPerCredit = dollarsPerCredit
            self.models = models.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
        }

        /// The price of `model` of `provider`.
        public func price(provider: String, model: String) -> Price? {
            models.first { $0.provider == provider && $0.model == model }
        }

        enum CodingKeys: String, CodingKey {
            case dollarsPerCredit, models
        }
    }

    /// The plan's figures, as `runner plan` prints them.
    public struct Totals: Sendable, Equatable, Codable {
        /// Credits of the new generations, at most.
        public var credits: Double
        public var dollars: Double
        /// A rough wall time for the pending work.
        public var estimatedSeconds: Double
        /// The manifest's `budget.maxCredits`.
        public var maxCredits: Double?

        /// Totals.
        public init(credits: Double, dollars: Double, estimatedSeconds: Double, maxCredits: Double? = nil) {
            self.credits = credits
            self.dollars = dollars
            self.estimatedSeconds = estimatedSeconds
            self.maxCredits = maxCredits
        }

        enum CodingKeys: String, CodingKey {
            case credits, dollars, estimatedSeconds, maxCredits
        }
    }

    /// Always `formatMarker`.
    public var format: String
    /// The format version: `currentVersion` for the plans this runner writes.
    public var version: Int
    /// The version of the runner that made the plan (`runner --version`).
    public var runnerVersion: String
    /// The manifest's `name`.
    public var pipeline: String
    /// The manifest's `session`.
    public var session: String
    public var manifest: ManifestSource
    public var options: Options
    /// Every stage, in the order they run.
    public var stages: [Stage]
    public var prices: Prices
    public var totals: Totals

    /// A saved plan in this runner's format.
    public init(
        runnerVersion: String, pipeline: String, session: String, manifest: ManifestSource,
        options: Options = Options(), stages: [Stage], prices: Prices, totals: Totals
    ) {
        format = Self.formatMarker
        version = Self.currentVersion
        self.runnerVersion = runnerVersion
        self.pipeline = pipeline
        self.session = session
        self.manifest = manifest
        self.options = options
        self.stages = stages
        self.prices = prices
        self.totals = totals
    }

    enum CodingKeys: String, CodingKey {
        case format, version, runnerVersion, pipeline, session, manifest, options, stages, prices, totals
    }

    /// The stage named `name`.
    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// The file's bytes: pretty-printed JSON with sorted keys, so that two plans of the same facts are the same bytes
    /// and a diff of two plans reads well. The result is checked as `load` checks a file, so a plan that could not be
    /// loaded again (a name with control characters, a negative credit) is never written.
    public func encoded(file: String = "the saved plan") throws(SavedPlanError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .invalidField(file: file, field: "the plan", problem: "cannot be written as JSON (\(error))")
        }
        _ = try Self.load(data, file: file)
        return data
    }
}
