import Manifest
import Testing

/// `chain` on a generate stage (issue #18): decoded as written, refused on models that take no `last` keyframe with
/// the models that do, and described in the schema as a boolean or `loop`.
@Suite struct ChainManifestTests {
    /// A manifest whose clips stage uses `model` of a Runway provider, with `extra` options on the stage.
    static func runway(model: String, extra: String) -> String {
        """
        version: 1
        name: chained
        providers:
          runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}" }
          draft: { type: kenburns }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips: { type: generate, needs: [frames], provider: runway, model: \(model), prompt: "A slow dolly", \(extra)to: ./out/clips/ }
          film: { type: merge, needs: [clips] }
        """
    }

    static func chain(of result: ManifestResult) -> KeyframeChain? {
        guard let stage = result.pipeline?.stage(named: "clips"), case .generate(let options) = stage.kind else {
            return nil
        }
        return options.chain
    }

    @Test(arguments: [("true", KeyframeChain.open), ("loop", .loop), ("false", .off)])
    func veoTakesEveryChainValue(written: String, expected: KeyframeChain) {
        let result = load(
            Self.runway(model: "veo3.1", extra: "chain: \(written), "), environment: ["RUNWAYML_API_SECRET": "k"])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(Self.chain(of: result) == expected)
    }

    @Test func withoutChainAStageIsUnchained() {
        let result = load(Self.runway(model: "veo3.1_fast", extra: ""), environment: ["RUNWAYML_API_SECRET": "k"])
        #expect(Self.chain(of: result) == .off)
    }

    @Test func gen4TurboRefusesAChainAtTheValueAndNamesTheModelsThatTakeIt() {
        let result = load(
            Self.runway(model: "gen4_turbo", extra: "chain: true, "), environment: ["RUNWAYML_API_SECRET": "k"])
        // Line 8, the column of `true`.
        let line = Self.runway(model: "gen4_turbo", extra: "chain: true, ").split(separator: "\n")[7]
        let column = line.distance(from: line.startIndex, to: line.range(of: "true")!.lowerBound) + 1
        expectError(
            result,
            "`stages.clips.chain`: gen4_turbo cannot end a clip on a given frame (a `last` keyframe), so its clips "
                + "cannot be chained; the models that can are veo3.1, veo3.1_fast, kenburns; choose one of them or "
                + "remove `chain`", at: 8, column)
    }

    @Test func gen45RefusesALoopToo() {
        let result = load(
            Self.runway(model: "gen4.5", extra: "chain: loop, "), environment: ["RUNWAYML_API_SECRET": "k"])
        #expect(
            result.diagnostics.contains {
                $0.severity == .error && $0.message.contains("gen4.5 cannot end a clip on a given frame")
            }, "\(result.diagnostics)")
    }

    @Test func chainFalseIsAcceptedOnAnyModel() {
        let result = load(
            Self.runway(model: "gen4_turbo", extra: "chain: false, "), environment: ["RUNWAYML_API_SECRET": "k"])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(Self.chain(of: result) == .off)
    }

    @Test func kenBurnsChains() {
        let yaml = quickstart.replacingOccurrences(of: "duration: 5, ", with: "duration: 5, chain: loop, ")
        let result = load(yaml)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(Self.chain(of: result) == .loop)
    }

    @Test func anotherWordIsRefusedWithTheValuesAndASuggestion() {
        let yaml = quickstart.replacingOccurrences(of: "duration: 5, ", with: "duration: 5, chain: lop, ")
        let line = yaml.split(separator: "\n").first { $0.contains("chain: lop") }!
        let column = line.distance(from: line.startIndex, to: line.range(of: "lop,")!.lowerBound) + 1
        expectError(load(yaml), "`stages.clips.chain` must be one of true, false, loop, not \"lop\"", at: 7, column)
    }

    @Test func aQuotedTrueIsTextNotABoolean() {
        let yaml = quickstart.replacingOccurrences(of: "duration: 5, ", with: "duration: 5, chain: \"yes\", ")
        #expect(
            load(yaml).diagnostics.contains {
                $0.severity == .error && $0.message.contains("`stages.clips.chain` must be one of true, false, loop")
            })
    }

    @Test func theSchemaTakesABooleanOrLoop() throws {
        let schema = JSONSchema.manifest().serialized(indent: 0)
        let chain = try #require(schema.range(of: "\"chain\":{"))
        let entry = schema[chain.upperBound...].prefix(1000)
        #expect(
            entry.contains("\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"string\",\"enum\":[\"loop\"]}]"), "\(entry)")
    }
}
