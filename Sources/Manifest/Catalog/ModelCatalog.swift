/// The kinds of provider a manifest can declare.
public enum ProviderType: String, Sendable, CaseIterable, Codable {
    /// Runway's developer API (paid, over the network).
    case runway
    /// The local Ken Burns generator (free, offline): a slow pan and zoom over the still.
    case kenburns
}

/// What one model accepts and costs: the single table that validation, planning and the clients read.
public struct ModelSpec: Sendable {
    /// The ratios a model accepts.
    public enum Ratios: Sendable {
        /// Exactly these.
        case oneOf([Ratio])
        /// Any `W:H` with even sides in this range (a local encoder's freedom).
        case anyEven(ClosedRange<Int>)

        public func accepts(_ ratio: Ratio) -> Bool {
            switch self {
            case let .oneOf(list): return list.contains(ratio)
            case let .anyEven(range):
                return range.contains(ratio.width) && range.contains(ratio.height)
                    && ratio.width % 2 == 0 && ratio.height % 2 == 0
            }
        }

        /// "1280:720, 720:1280, ..." or "any W:H with even sides from 16 to 4096".
        public var summary: String {
            switch self {
            case let .oneOf(list): return list.map(\.description).joined(separator: ", ")
            case let .anyEven(range): return "any WIDTH:HEIGHT with even sides from \(range.lowerBound) to \(range.upperBound)"
            }
        }
    }

    /// The durations, in whole seconds, a model accepts.
    public enum Durations: Sendable {
        case oneOf([Int])
        case range(ClosedRange<Int>)

        public func accepts(_ seconds: Int) -> Bool {
            switch self {
            case let .oneOf(list): return list.contains(seconds)
            case let .range(range): return range.contains(seconds)
            }
        }

        public var summary: String {
            switch self {
            case let .oneOf(list): return list.map(String.init).joined(separator: ", ")
            case let .range(range): return "\(range.lowerBound) to \(range.upperBound)"
            }
        }
    }

    public let name: String
    public let provider: ProviderType
    public let ratios: Ratios
    public let durations: Durations
    public let defaultDuration: Int
    /// Whether the API refuses a request without a prompt.
    public let requiresPrompt: Bool
    /// The price used for estimates; the API's own estimate wins when it gives one.
    public let creditsPerSecond: Int
}

/// Every model the runner knows, by provider. Adding a model is one line here.
public enum ModelCatalog {
    /// Runway's six Gen-4 ratios.
    static let gen4Ratios = ["1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672"].compactMap(Ratio.init)
    static let veoRatios = ["1280:720", "720:1280", "1080:1920", "1920:1080"].compactMap(Ratio.init)

    /// The models, in the order messages list them.
    public static let models: [ModelSpec] = [
        ModelSpec(name: "gen4_turbo", provider: .runway, ratios: .oneOf(gen4Ratios), durations: .oneOf([5, 10]),
                  defaultDuration: 5, requiresPrompt: false, creditsPerSecond: 5),
        ModelSpec(name: "gen4.5", provider: .runway, ratios: .oneOf(gen4Ratios), durations: .range(2...10),
                  defaultDuration: 5, requiresPrompt: true, creditsPerSecond: 12),
        ModelSpec(name: "veo3.1", provider: .runway, ratios: .oneOf(veoRatios), durations: .oneOf([4, 6, 8]),
                  defaultDuration: 8, requiresPrompt: false, creditsPerSecond: 40),
        ModelSpec(name: "kenburns", provider: .kenburns, ratios: .anyEven(16...4096), durations: .range(1...60),
                  defaultDuration: 5, requiresPrompt: false, creditsPerSecond: 0),
    ]

    /// Models a provider no longer offers, with what to say instead of "unknown model".
    public static let retired: [String: String] = [
        "gen3a_turbo": "Runway no longer offers gen3a_turbo; use gen4_turbo",
    ]

    /// Ratios that belonged to a retired model, with the model's name.
    public static let retiredRatios: [Ratio: String] = [
        Ratio(width: 1280, height: 768): "gen3a_turbo",
        Ratio(width: 768, height: 1280): "gen3a_turbo",
    ]

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

    /// US dollars per credit, for estimates.
    public static let dollarsPerCredit = 0.01
}
