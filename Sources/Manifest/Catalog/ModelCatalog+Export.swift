/// The catalog as data for others: the JSON the Runway double loads (`runner models --format json`, committed as
/// Tests/RunwayTests/Double/catalog.json) and the Markdown table of docs/manifest.md.
extension ModelCatalog {
    /// The catalog as JSON: each model with its API field names, so a reader needs no knowledge of the runner.
    public static func json() -> JSONValue {
        .object([
            ("models", .array(models.map(json(of:)))),
            (
                "retired",
                .array(
                    retiredModels.map { model in
                        .object([
                            ("name", .string(model.name)), ("provider", .string(model.provider.rawValue)),
                            ("replacement", .string(model.replacement)),
                            ("ratios", .array(model.ratios.map { .string($0.description) })),
                        ])
                    })
            ),
            ("dollarsPerCredit", .double(dollarsPerCredit)),
        ])
    }

    /// One model's entry: ratios, durations, the API fields it requires and accepts, keyframe positions and prices.
    static func json(of model: ModelSpec) -> JSONValue {
        var required = ["model", "promptImage", "ratio"]
        var optional: [String] = []
        if model.apiDefaultDuration == nil { required.append("duration") } else { optional.append("duration") }
        for option in ModelSpec.Option.allCases where option != .lastKeyframe {
            let field = apiField(option)
            if model.requires.contains(option) {
                required.append(field)
            } else if model.accepts.contains(option) {
                optional.append(field)
            }
        }
        optional += model.otherFields
        let ratios: JSONValue
        switch model.ratios {
        case .oneOf(let list): ratios = .array(list.map { .string($0.description) })
        case .anyEven(let range):
            ratios = .object([("anyEvenFrom", .int(range.lowerBound)), ("to", .int(range.upperBound))])
        }
        var price: [(String, JSONValue)] = [("default", .int(model.price.perSecond))]
        if let audio = model.price.perSecondWithAudio { price.append(("audio", .int(audio))) }
        return .object([
            ("name", .string(model.name)),
            ("provider", .string(model.provider.rawValue)),
            ("ratios", ratios),
            ("durations", .array(model.durations.all.map { .int($0) })),
            ("defaultDuration", .int(model.defaultDuration)),
            ("apiDefaultDuration", model.apiDefaultDuration.map { .int($0) } ?? .null),
            ("options", .array(ModelSpec.Option.allCases.filter(model.accepts.contains).map { .string($0.rawValue) })),
            (
                "requiredOptions",
                .array(ModelSpec.Option.allCases.filter(model.requires.contains).map { .string($0.rawValue) })
            ),
            ("requiredFields", .array(required.map { .string($0) })),
            ("optionalFields", .array(optional.sorted().map { .string($0) })),
            (
                "keyframePositions",
                .array((model.acceptsLastKeyframe ? ["first", "last"] : ["first"]).map { .string($0) })
            ),
            ("creditsPerSecond", .object(price)),
        ])
    }

    /// The API's name of an option's field.
    public static func apiField(_ option: ModelSpec.Option) -> String {
        switch option {
        case .prompt: return "promptText"
        case .seed: return "seed"
        case .audio: return "audio"
        case .lastKeyframe: return "promptImage[].position: last"
        }
    }

    /// The catalog as a Markdown table, for docs/manifest.md.
    public static func markdown() -> String {
        var text = "| model | provider | ratios | duration (s) | options | credits per second | last keyframe |\n"
        text += "| --- | --- | --- | --- | --- | --- | --- |\n"
        for model in models {
            text +=
                "| `\(model.name)` | \(model.provider.rawValue) | \(model.ratios.summary) | \(model.durations.summary) (default \(model.defaultDuration)) "
                + "| \(optionsSummary(model)) | \(priceSummary(model)) | \(model.acceptsLastKeyframe ? "yes" : "no") |\n"
        }
        text +=
            "\nRetired (refused, naming the replacement): "
            + retiredModels.map { "`\($0.name)` (use `\($0.replacement)`)" }.joined(separator: ", ") + ".\n"
        return text
    }

    /// "prompt (required), seed, audio".
    public static func optionsSummary(_ model: ModelSpec) -> String {
        let names = ModelSpec.Option.allCases.filter { model.accepts.contains($0) && $0 != .lastKeyframe }
            .map { model.requires.contains($0) ? "\($0.rawValue) (required)" : $0.rawValue }
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    /// "20 (audio: 40)".
    public static func priceSummary(_ model: ModelSpec) -> String {
        model.price.perSecondWithAudio.map { "\(model.price.perSecond) (with audio: \($0))" }
            ?? "\(model.price.perSecond)"
    }
}
