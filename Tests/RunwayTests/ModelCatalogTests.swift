import Foundation
import Manifest
import Runway
import TestSupport
import Testing

/// The model catalog is one table: the runner's validation, its Runway client and the project's Runway double all read
/// it. These tests hold each reader to it, and it to the reference page (shared/reference/runway-api.md).
@Suite struct ModelCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The manifest of one Runway generate stage with these lines added to the stage.
    static func manifest(model: String, _ lines: [String]) -> String {
        """
        version: 1
        name: catalog
        providers:
          runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}" }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips:
            type: generate
            needs: [frames]
            provider: runway
            model: \(model)
            prompt: A slow push-in
            to: ./clips/
        \(lines.map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    static func validate(model: String, _ lines: String...) -> ManifestResult {
        ManifestLoader.load(
            bytes: Array(manifest(model: model, lines).utf8), file: "pipeline.yaml", directory: "/work/project",
            options: ManifestOptions(environment: ["RUNWAYML_API_SECRET": "CANARY-runway-key-4b1d"]))
    }

    static func errors(_ result: ManifestResult) -> [String] {
        result.diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    @Test func theDoublesCatalogIsTheRunnersOwnTable() throws {
        // Tests/RunwayTests/Double/catalog.json is `runner models --format json` without a key; regenerate it with
        // `.build/debug/runner models --format json > Tests/RunwayTests/Double/catalog.json` after changing the table.
        let committed = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/RunwayTests/Double/catalog.json"), encoding: .utf8)
        #expect(
            committed == ModelCatalog.json().serialized(indent: 2) + "\n",
            "catalog.json differs from the runner's table: regenerate it with `runner models --format json`")
    }

    @Test func theTableHoldsTheReferencePagesFacts() throws {
        let turbo = try #require(ModelCatalog.model(named: "gen4_turbo", for: .runway))
        #expect(
            (2...10).allSatisfy(turbo.durations.accepts) && !turbo.durations.accepts(1) && !turbo.durations.accepts(11))
        #expect(turbo.credits(seconds: 7) == 35)
        let veo = try #require(ModelCatalog.model(named: "veo3.1", for: .runway))
        #expect(veo.credits(seconds: 8, audio: false) == 160 && veo.credits(seconds: 8, audio: true) == 320)
        let fast = try #require(ModelCatalog.model(named: "veo3.1_fast", for: .runway))
        #expect(fast.credits(seconds: 8, audio: false) == 80 && fast.credits(seconds: 8, audio: true) == 120)
        #expect(fast.acceptsLastKeyframe && veo.acceptsLastKeyframe && !turbo.acceptsLastKeyframe)
        #expect(turbo.credits(seconds: 5, audio: true) == 25, "a model without audio is never priced with it")
        #expect(ModelCatalog.retired["veo3"] == "Runway no longer offers veo3; use veo3.1")
        #expect(ModelCatalog.modelNames(accepting: .audio) == ["veo3.1", "veo3.1_fast"])
    }

    @Test(arguments: ModelCatalog.models.filter { $0.provider == .runway }.map(\.name))
    func everyDurationAndRatioOfAModelIsAcceptedAndNoOther(model name: String) throws {
        let model = try #require(ModelCatalog.model(named: name, for: .runway))
        for seconds in model.durations.all {
            let result = Self.validate(model: name, "duration: \(seconds)")
            #expect(Self.errors(result).isEmpty, "\(name) \(seconds) s: \(Self.errors(result))")
        }
        for seconds in [1, 3, 5, 7, 11, 12] where !model.durations.accepts(seconds) {
            let errors = Self.errors(Self.validate(model: name, "duration: \(seconds)"))
            #expect(
                errors == [
                    "`stages.clips.duration` is \(seconds) s, which \(name) does not make; it takes \(model.durations.summary) seconds"
                ],
                "\(name) \(seconds) s: \(errors)")
        }
        guard case .oneOf(let ratios) = model.ratios else { return }
        for ratio in ratios {
            let errors = Self.errors(
                Self.validate(model: name, "ratio: \"\(ratio)\"", "duration: \(model.defaultDuration)"))
            #expect(errors.isEmpty, "\(name) \(ratio): \(errors)")
        }
        for ratio in ["1920:1080", "960:960", "1280:768", "1000:1000"].compactMap(Ratio.init)
        where !ratios.contains(ratio) {
            let errors = Self.errors(Self.validate(model: name, "ratio: \"\(ratio)\""))
            #expect(
                errors.count == 1 && errors.first?.contains("`stages.clips.ratio` \(ratio)") == true,
                "\(name) \(ratio): \(errors)")
        }
    }

    @Test(arguments: ModelCatalog.models.filter { $0.provider == .runway }.map(\.name))
    func audioIsAnOptionOfTheModelsThatTakeItOnly(model name: String) throws {
        let model = try #require(ModelCatalog.model(named: name, for: .runway))
        for value in [true, false] {
            let result = Self.validate(model: name, "audio: \(value)")
            let errors = Self.errors(result)
            if model.acceptsAudio || !value {
                // (The decoded value reaching the request and the price: RunwayAccountingTests.thePlanPricesEachOption.)
                #expect(errors.isEmpty && result.pipeline != nil, "\(name) audio \(value): \(errors)")
            } else {
                #expect(
                    errors == [
                        "`stages.clips.audio`: \(name) makes no audio; `audio` is an option of veo3.1, veo3.1_fast; "
                            + "remove it or choose one of those models"
                    ], "\(errors)")
            }
        }
        let wrongType = Self.errors(Self.validate(model: name, "audio: loud"))
        #expect(wrongType.count == 1 && wrongType.first?.contains("audio") == true, "\(wrongType)")
    }

    @Test func retiredModelsAreRefusedNamingTheReplacement() {
        #expect(
            Self.errors(Self.validate(model: "veo3", "duration: 8")) == [
                "`stages.clips.model`: Runway no longer offers veo3; use veo3.1"
            ])
        #expect(
            Self.errors(Self.validate(model: "gen3a_turbo")) == [
                "`stages.clips.model`: Runway no longer offers gen3a_turbo; use gen4_turbo"
            ])
        let missingPrompt = ManifestLoader.load(
            bytes: Array(
                Self.manifest(model: "gen4.5", []).replacingOccurrences(of: "    prompt: A slow push-in\n", with: "")
                    .utf8),
            file: "pipeline.yaml", directory: "/work/project",
            options: ManifestOptions(environment: ["RUNWAYML_API_SECRET": "k"]))
        #expect(Self.errors(missingPrompt) == ["`stages.clips` uses gen4.5, which needs a `prompt`"])
    }

    @Test func theRequestSendsAudioToTheModelsThatTakeItAndOnlyThem() throws {
        func body(_ model: String, audio: Bool?) throws -> [String: Any] {
            let request = ImageToVideoRequest(
                model: model, promptImage: "https://example.com/a.png", ratio: Ratio(width: 1280, height: 720),
                duration: model.hasPrefix("veo") ? 8 : 5, audio: audio)
            try request.validate()
            return try #require(try JSONSerialization.jsonObject(with: request.jsonBody()) as? [String: Any])
        }
        #expect(try body("veo3.1", audio: true)["audio"] as? Bool == true)
        #expect(
            try body("veo3.1", audio: nil)["audio"] as? Bool == false,
            "left unset, it is sent as false: the price the plan made")
        #expect(try body("veo3.1_fast", audio: false)["audio"] as? Bool == false)
        #expect(try body("gen4_turbo", audio: nil)["audio"] == nil)
        #expect(throws: RunwayError.self) { _ = try body("gen4_turbo", audio: true) }
        #expect(
            ImageToVideoRequest(
                model: "veo3.1", promptImage: "x", ratio: Ratio(width: 1280, height: 720), duration: 8, audio: true
            )
            .maximumCredits == 320)
    }

    @Test func theDoublePricesEachOptionAsTheTableDoes() async throws {
        let tenant = try await DoubleTenant.make()
        let client = tenant.client()
        let image =
            "data:image/jpeg;base64,"
            + (try Data(contentsOf: Self.root.appendingPathComponent("examples/frames/frame_01_dawn.jpg")))
            .base64EncodedString()
        for model in ModelCatalog.models where model.provider == .runway {
            for audio in model.acceptsAudio ? [false, true] : [false] {
                let seconds = model.durations.all.last ?? model.defaultDuration
                let request = ImageToVideoRequest(
                    model: model.name, promptImage: image, ratio: Ratio(width: 1280, height: 720),
                    duration: seconds, promptText: "A slow push-in", audio: model.acceptsAudio ? audio : nil)
                let submission = try await client.submit(request)
                #expect(
                    submission.estimatedCredits == model.credits(seconds: seconds, audio: audio),
                    "\(model.name) audio \(audio)")
            }
        }
    }

    @Test func aFinishedTaskReportsItsFinalChargeAndTheAccountItsLimits() async throws {
        let tenant = try await DoubleTenant.make([
            "chargedFraction": 0.6, "concurrencyLimit": 4, "dailyLimit": 7, "dailyGenerationsUsed": 2,
            "creditBalance": 1000,
        ])
        let client = tenant.client()
        let image =
            "data:image/jpeg;base64,"
            + (try Data(contentsOf: Self.root.appendingPathComponent("examples/frames/frame_01_dawn.jpg")))
            .base64EncodedString()
        let submission = try await client.submit(
            ImageToVideoRequest(
                model: "gen4_turbo", promptImage: image,
                ratio: Ratio(width: 1280, height: 720), duration: 5))
        #expect(submission.estimatedCredits == 25)
        let task = try await client.waitForTask(submission.id)
        #expect(task.chargedCredits == 15 && task.estimatedCredits == nil, "\(task)")
        let account = try await client.organization()
        #expect(
            account.limits["gen4_turbo"] == Organization.Limits(maxConcurrentGenerations: 4, maxDailyGenerations: 7))
        #expect(account.dailyGenerations["gen4_turbo"] == 3 && account.dailyGenerations["veo3.1"] == 2)
        #expect(account.generationsLeft(for: "gen4_turbo") == 4)
        #expect(account.creditBalance == 985, "1000 less the final charge of 15")
    }
}
