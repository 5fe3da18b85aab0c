/// The kinds of provider a manifest can declare.
public enum ProviderType: String, Sendable, CaseIterable, Codable {
    /// Runway's developer API (paid, over the network).
    case runway
    /// The local Ken Burns generator (free, offline): a slow pan and zoom over the still.
    case kenburns
}

/// What one model accepts and costs: one row of the single table that validation, the JSON Schema, the docs,
/// planning, the Runway client and the project's Runway double read.
public struct ModelSpec: Sendable {
    /// The ratios a model accepts.
    public enum Ratios: Sendable {
        /// Exactly these.
        case oneOf([Ratio])
        /// Any `W:H` with even sides in this range (a local encoder's freedom).
        case anyEven(ClosedRange<Int>)

        public func accepts(_ ratio: Ratio) -> Bool {
            switch self {
            case .oneOf(let list): return list.contains(ratio)
            case .anyEven(let range):
                return range.contains(ratio.width) && range.contains(ratio.height)
                    && ratio.width % 2 == 0 && ratio.height % 2 == 0
            }
        }

        /// "1280:720, 720:1280, ..." or "any W:H with even sides from 16 to 4096".
        public var summary: String {
            switch self {
            case .oneOf(let list): return list.map(\.description).joined(separator: ", ")
            case .anyEven(let range):
                return "any WIDTH:HEIGHT with even sides from \(range.lowerBound) to \(range.upperBound)"
            }
        }
    }

    /// The durations, in whole seconds, a model accepts.
    public enum Durations: Sendable {
        case oneOf([Int])
        case range(ClosedRange<Int>)

        public func accepts(_ seconds: Int) -> Bool {
            switch self {
            case .oneOf(let list): return list.contains(seconds)
            case .range(let range): return range.contains(seconds)
            }
        }

        public var summary: String {
            switch self {
            case .oneOf(let list): return list.map(String.init).joined(separator: ", ")
            case .range(let range): return "\(range.lowerBound) to \(range.upperBound)"
            }
        }

        /// Every accepted duration, in order.
        public var all: [Int] {
            switch self {
            case .oneOf(let list): return list
            case .range(let range): return Array(range)
            }
        }
    }

    /// The request fields the runner knows how to send, as a model requires or accepts them.
    public enum Option: String, Sendable, CaseIterable, Codable {
        /// `promptText` (the manifest's `prompt`).
        case prompt
        /// `seed`.
        case seed
        /// `audio` (a boolean the runner always sends, with the value it priced).
        case audio
        /// A `last` keyframe in `promptImage`.
        case lastKeyframe
    }

    /// Credits per second of video, by option: the one place a price is written.
    public struct Price: Sendable, Equatable {
        /// Without audio (or for a model with no audio option).
        public let perSecond: Int
        /// With `audio: true`, for models that accept it.
        public let perSecondWithAudio: Int?

        public init(perSecond: Int, withAudio: Int? = nil) {
            self.perSecond = perSecond
            perSecondWithAudio = withAudio
        }

        /// Credits per second with these options.
        public func perSecond(audio: Bool) -> Int { audio ? (perSecondWithAudio ?? perSecond) : perSecond }
    }

    public let name: String
    public let provider: ProviderType
    public let ratios: Ratios
    public let durations: Durations
    /// The duration the runner asks for when the manifest gives none (the runner always sends one).
    public let defaultDuration: Int
    /// Fields the API refuses a request without.
    public let requires: Set<Option>
    /// Fields the API accepts (the required ones included).
    public let accepts: Set<Option>
    public let price: Price
    /// The model's own fields the runner does not send (`contentModeration`, `negativePrompt`...): the double accepts them.
    public let otherFields: [String]
    /// The duration the API assumes when the request has none; nil when the API requires `duration`.
    public let apiDefaultDuration: Int?

    public init(
        name: String, provider: ProviderType, ratios: Ratios, durations: Durations, defaultDuration: Int,
        requires: Set<Option> = [], accepts: Set<Option>, price: Price, otherFields: [String] = [],
        apiDefaultDuration: Int? = nil
    ) {
        self.name = name
        self.provider = provider
        self.ratios = ratios
        self.durations = durations
        self.defaultDuration = defaultDuration
        self.requires = requires
        self.accepts = accepts.union(requires)
        self.price = price
        self.otherFields = otherFields
        self.apiDefaultDuration = apiDefaultDuration
    }

    /// Whether the API refuses a request without a prompt.
    public var requiresPrompt: Bool { requires.contains(.prompt) }
    /// Whether the model takes the `audio` option.
    public var acceptsAudio: Bool { accepts.contains(.audio) }
    /// Whether the model can end a clip on a given last frame.
    public var acceptsLastKeyframe: Bool { accepts.contains(.lastKeyframe) }
    /// The price per second without options.
    public var creditsPerSecond: Int { price.perSecond }

    /// The most a clip of `seconds` can cost with these options (Runway's estimate is the same maximum).
    public func credits(seconds: Int, audio: Bool = false) -> Double {
        Double(price.perSecond(audio: audio && acceptsAudio) * seconds)
    }
}

/// A model a provider no longer offers, and the one to use instead.
public struct RetiredModel: Sendable {
    public let name: String
    public let provider: ProviderType
    public let replacement: String
    /// Ratios only this model had, so a manifest that kept one is told why it is refused.
    public let ratios: [Ratio]
}

/// Every model the runner knows, by provider. Adding a model or a price is one entry here; the facts are
/// shared/reference/runway-api.md's.
public enum ModelCatalog {
    /// Runway's six Gen-4 ratios.
    static let gen4Ratios = ["1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672"].compactMap(
        Ratio.init)
    static let veoRatios = ["1280:720", "720:1280", "1080:1920", "1920:1080"].compactMap(Ratio.init)

    /// The models, in the order messages list them; a provider's first is its default.
    public static let models: [ModelSpec] = [
        ModelSpec(
            name: "gen4_turbo", provider: .runway, ratios: .oneOf(gen4Ratios), durations: .range(2...10),
            defaultDuration: 5, accepts: [.prompt, .seed], price: .init(perSecond: 5),
            otherFields: ["contentModeration"], apiDefaultDuration: 10),
        ModelSpec(
            name: "gen4.5", provider: .runway, ratios: .oneOf(gen4Ratios), durations: .range(2...10),
            defaultDuration: 5, requires: [.prompt], accepts: [.seed], price: .init(perSecond: 12),
            otherFields: ["contentModeration", "outputFormat", "proresProfile"]),
        ModelSpec(
            name: "veo3.1", provider: .runway, ratios: .oneOf(veoRatios), durations: .oneOf([4, 6, 8]),
            defaultDuration: 8, accepts: [.prompt, .seed, .audio, .lastKeyframe],
            price: .init(perSecond: 20, withAudio: 40),
            otherFields: ["negativePrompt"], apiDefaultDuration: 8),
        ModelSpec(
            name: "veo3.1_fast", provider: .runway, ratios: .oneOf(veoRatios), durations: .oneOf([4, 6, 8]),
            defaultDuration: 8, accepts: [.prompt, .seed, .audio, .lastKeyframe],
            price: .init(perSecond: 10, withAudio: 15),
            otherFields: ["negativePrompt"], apiDefaultDuration: 8),
        ModelSpec(
            name: "kenburns", provider: .kenburns, ratios: .anyEven(16...4096), durations: .range(1...60),
            // Ken Burns chains too (issue #18): a clip can end on the next frame's opening view.
            defaultDuration: 5, accepts: [.seed, .lastKeyframe], price: .init(perSecond: 0)),
    ]

    /// Models a provider no longer offers.
    public static let retiredModels: [RetiredModel] = [
        RetiredModel(
            name: "gen3a_turbo", provider: .runway, replacement: "gen4_turbo",
            ratios: [Ratio(width: 1280, height: 768), Ratio(width: 768, height: 1280)]),
        RetiredModel(name: "veo3", provider: .runway, replacement: "veo3.1", ratios: []),
    ]

    /// What to say instead of "unknown model", by retired model.
    public static var retired: [String: String] {
        Dictionary(
            uniqueKeysWithValues: retiredModels.map {
                (
                    $0.name,
                    "\($0.provider == .runway ? "Runway" : $0.provider.rawValue) no longer offers \($0.name); use \($0.replacement)"
                )
            })
    }

    /// Ratios that belonged to a retired model, with the model's name.
    public static var retiredRatios: [Ratio: String] {
        var found: [Ratio: String] = [:]
        for model in retiredModels { for ratio in model.ratios { found[ratio] = model.name } }
        return found
    }

    /// The model a provider uses when the stage names none.
    public static func defaultModel(for provider: ProviderType) -> ModelSpec? {
        models.first { $0.provider == provider }
    }

    /// The named model of a provider type.
    public static func model(named name: String, for provider: ProviderType) -> ModelSpec? {
        models.first { $0.provider == provider && $0.name == name }
    }

    /// The model names a provider type offers.
    public static func modelNames(for provider: ProviderType) -> [String] {
        models.filter { $0.provider == provider }.map(\.name)
    }

    /// The names of the models that take `option`.
    public static func modelNames(accepting option: ModelSpec.Option) -> [String] {
        models.filter { $0.accepts.contains(option) }.map(\.name)
    }

    /// US dollars per credit, for estimates.
    public static let dollarsPerCredit = 0.01
}
