/// A manifest, decoded, interpolated and validated: what the runner executes.
public struct Pipeline: Sendable {
    /// The manifest format version (always 1 for now).
    public var version: Int
    /// The pipeline's identifier; state and records are keyed by it.
    public var name: String
    /// Used in output paths; defaults to `name`.
    public var session: String
    /// The variables after `--var` overrides.
    public var vars: [String: String]
    /// Settings for every `s3://` location.
    public var s3: S3Settings
    /// The providers by name, in the order written.
    public var providers: [Provider]
    /// Where checkpoints live.
    public var state: Location
    /// Spending limits.
    public var budget: Budget
    /// The stages, in the order written.
    public let stages: [Stage]
    /// The stages in an order where each comes after the stages it needs (as written where that is already so):
    /// worked out once, when the pipeline is made.
    public let orderedStages: [Stage]
    /// The stages as a graph: what each needs and what needs it.
    public let graph: StageGraph
    /// The manifest's path as given.
    public var manifestPath: String
    /// The folder that relative locations are resolved against.
    public var directory: String
    /// The manifest file's bytes as read (a byte order mark too): a saved plan keeps their SHA-256 (issue 17).
    public var manifestBytes: [UInt8] = []
    /// Every value read from outside the manifest's text: each variable after `--var` overrides, and each environment
    /// variable interpolated that is set. A saved plan keeps the digests of those that are not secret.
    public var interpolatedValues: [InterpolatedValue] = []

    /// Each stage's place in `stages`, by name.
    private let stageIndex: [String: Int]

    /// A pipeline of `stages`; its graph and the order of its stages are worked out here, once. A cycle (which
    /// validation refuses before a pipeline is made) leaves the stages of the cycle in the order written, last.
    public init(
        version: Int, name: String, session: String, vars: [String: String], s3: S3Settings, providers: [Provider],
        state: Location, budget: Budget, stages: [Stage], manifestPath: String, directory: String
    ) {
        self.version = version
        self.name = name
        self.session = session
        self.vars = vars
        self.s3 = s3
        self.providers = providers
        self.state = state
        self.budget = budget
        self.stages = stages
        self.manifestPath = manifestPath
        self.directory = directory
        let graph = StageGraph(stages: stages)
        self.graph = graph
        let index = Dictionary(stages.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        stageIndex = index
        let order = graph.orderAsWritten()
        let placed = Set(order)
        orderedStages = order.map { stages[$0] } + stages.indices.filter { !placed.contains($0) }.map { stages[$0] }
    }

    /// The stage with this name.
    public func stage(named name: String) -> Stage? { stageIndex[name].map { stages[$0] } }

    /// The provider with this name.
    public func provider(named name: String) -> Provider? { providers.first { $0.name == name } }
}

/// Settings for S3 and S3-compatible stores: the manifest's `s3` block, and `--endpoint-url`.
/// Unset fields fall back on the environment, as the AWS CLI does (Storage's `S3Configuration`).
public struct S3Settings: Sendable, Equatable {
    /// The manifest's `s3.region`.
    public var region: String?
    /// The manifest's `s3.endpoint`.
    public var endpoint: String?
    /// The manifest's `s3.pathStyle`; nil: path style for custom endpoints, virtual-hosted on AWS.
    public var pathStyle: Bool?
    /// The manifest's `s3.profile`.
    public var profile: String?
    /// `--endpoint-url` on the command line.
    public var commandLineEndpoint: String?

    public init(
        region: String? = nil, endpoint: String? = nil, pathStyle: Bool? = nil, profile: String? = nil,
        commandLineEndpoint: String? = nil
    ) {
        self.region = region
        self.endpoint = endpoint
        self.pathStyle = pathStyle
        self.profile = profile
        self.commandLineEndpoint = commandLineEndpoint
    }
}

/// Spending limits for a run.
public struct Budget: Sendable, Equatable {
    /// Refuse to start, and stop submitting, beyond this many credits; nil means no limit.
    public var maxCredits: Double?

    public init(maxCredits: Double? = nil) { self.maxCredits = maxCredits }
}

/// A named provider of generated clips.
public struct Provider: Sendable {
    public var name: String
    public var settings: Settings
    public var position: SourcePosition

    /// The settings of each provider type.
    public enum Settings: Sendable {
        case runway(RunwaySettings)
        case kenburns(KenBurnsSettings)
    }

    /// The provider's type.
    public var type: ProviderType {
        switch settings {
        case .runway: return .runway
        case .kenburns: return .kenburns
        }
    }

    /// Whether the manifest sets `concurrency`; when it does not, a provider whose account can be read lets the
    /// account's per-model limits decide.
    public var concurrencyIsSet: Bool {
        switch settings {
        case .runway(let runway): return runway.concurrencyIsSet
        case .kenburns: return true
        }
    }

    /// How many of its generations may run at once.
    public var concurrency: Int {
        switch settings {
        case .runway(let runway): return runway.concurrency
        case .kenburns(let kenburns): return kenburns.concurrency
        }
    }
}

/// Settings of a Runway provider.
public struct RunwaySettings: Sendable {
    /// The API key; never printed.
    public var apiKey: Secret
    /// Where the key came from, for messages (`${env:RUNWAYML_API_SECRET}`), never the key itself.
    public var apiKeySource: String
    /// The API's base URL; nil means RUNWAYML_BASE_URL or Runway's default.
    public var baseURL: String?
    /// Tasks in flight at once: the tier's per-model limit.
    public var concurrency: Int
    /// How often to poll a task.
    public var pollInterval: Duration
    /// How long one task may take before it is given up on.
    public var timeout: Duration
    /// Whether the manifest set `concurrency`; when it did not, the account's per-model limit
    /// (`GET /v1/organization`) decides, where it can be read.
    public var concurrencyIsSet = true
}

/// Settings of a local Ken Burns provider.
public struct KenBurnsSettings: Sendable {
    /// Clips rendered at once.
    public var concurrency: Int
    /// Frames per second of the clips.
    public var fps: Int
}

/// A value a manifest reads from outside its text, as `Pipeline.interpolatedValues` lists it.
public struct InterpolatedValue: Sendable, Equatable {
    /// `vars.NAME` or `env:NAME`.
    public var reference: String
    /// The value; nil for a secret, which is never kept here.
    public var value: String?

    /// Whether the value is, holds or feeds a secret (docs/security.md): a saved plan leaves it out, digest too.
    public var isSecret: Bool { value == nil }

    /// A value; pass nil for a secret.
    public init(reference: String, value: String?) {
        self.reference = reference
        self.value = value
    }
}
