import Manifest
import Testing

@Suite struct PipelineDecodingTests {
    @Test func quickstartDecodesWithDefaults() throws {
        let result = load(quickstart)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let pipeline = try #require(result.pipeline)
        #expect(pipeline.name == "quickstart")
        #expect(pipeline.session == "quickstart")
        #expect(pipeline.state == .local(path: "/work/project/.runner/state/"))
        #expect(pipeline.stages.map(\.name) == ["frames", "clips", "film", "publish"])
        guard case .frames(let frames) = pipeline.stages[0].kind,
            case .generate(let generate) = pipeline.stages[1].kind,
            case .merge(let merge) = pipeline.stages[2].kind,
            case .publish(let publish) = pipeline.stages[3].kind
        else {
            Issue.record("stage kinds decoded wrongly")
            return
        }
        #expect(frames.from == .local(path: "/work/project/frames/"))
        #expect(frames.include == ["*.png", "*.jpg", "*.jpeg", "*.webp", "*.heic", "*.heif", "*.avif"])
        #expect(frames.order == .natural)
        #expect(generate.model == "kenburns")
        #expect(generate.ratio == Ratio(width: 1280, height: 720))
        #expect(generate.duration == 5)
        #expect(generate.retries == 2)
        #expect(generate.onFailure == .fail)
        #expect(generate.to == .local(path: "/work/project/out/clips/"))
        #expect(merge.mode == .auto)
        #expect(merge.format == .mp4)
        #expect(merge.quality == 0.8)
        #expect(publish.to == .local(path: "/work/project/out/quickstart.mp4"))
        #expect(pipeline.provider(named: "draft")?.concurrency == 2)
    }

    @Test func runwayPipelineInterpolatesVariablesSessionAndSecrets() throws {
        let yaml = runwayPipeline.replacingOccurrences(
            of: "name: teaser", with: "name: teaser\nsession: ${vars.user}-v2")
        let result = load(yaml, variables: [("user", "bob")], environment: ["RUNWAYML_API_SECRET": "key-123"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let pipeline = try #require(result.pipeline)
        #expect(pipeline.session == "bob-v2")
        #expect(pipeline.vars["user"] == "bob")
        guard case .runway(let runway)? = pipeline.provider(named: "runway")?.settings,
            case .publish(let publish) = pipeline.stages[3].kind,
            case .frames(let frames) = pipeline.stages[0].kind
        else {
            Issue.record("runway pipeline decoded wrongly")
            return
        }
        #expect(runway.apiKey.revealed() == "key-123")
        #expect(runway.apiKeySource == "${env:RUNWAYML_API_SECRET}")
        #expect(runway.concurrency == 5)
        #expect(runway.pollInterval == .seconds(6))
        #expect(frames.from == .s3(bucket: "media-bucket", key: "frames/bob/"))
        #expect(publish.to == .s3(bucket: "media-bucket", key: "final/bob-v2.mp4"))
        #expect(publish.presign == .seconds(86_400))
    }

    @Test func unsetEnvironmentVariableWarnsInValidateAndFailsWhenRequired() {
        let relaxed = load(runwayPipeline)
        #expect(!relaxed.hasErrors)
        let warning = diagnostic(relaxed, containing: "the environment variable RUNWAYML_API_SECRET is not set")
        #expect(warning?.severity == .warning)
        #expect(warning?.position.line == 8)
        #expect(warning?.position.column == 13)
        // Plan and status read with the environment relaxed and send no key: an unset one leaves an empty secret.
        guard case .runway(let settings)? = relaxed.pipeline?.providers.first?.settings else {
            Issue.record("an unset API key kept plan from having a pipeline")
            return
        }
        #expect(settings.apiKey.isEmpty)

        // Apply reads with the environment required: no pipeline, so no key-less run.
        let strict = load(runwayPipeline, requireEnvironment: true)
        expectError(strict, "the environment variable RUNWAYML_API_SECRET is not set", at: 8, 13)
        #expect(strict.pipeline == nil, "a pipeline with an unknown key must not be handed to apply")
    }

    @Test func environmentDefaultIsUsedWhenUnset() throws {
        let yaml = quickstart.replacingOccurrences(of: "to: ./out/clips/", with: "to: \"./${env:OUT_DIR:-out}/clips/\"")
        let pipeline = try #require(load(yaml).pipeline)
        guard case .generate(let generate) = pipeline.stages[1].kind else {
            Issue.record("not generate")
            return
        }
        #expect(generate.to == .local(path: "/work/project/out/clips/"))
        let overridden = try #require(load(yaml, environment: ["OUT_DIR": "elsewhere"]).pipeline)
        guard case .generate(let moved) = overridden.stages[1].kind else {
            Issue.record("not generate")
            return
        }
        #expect(moved.to == .local(path: "/work/project/elsewhere/clips/"))
    }

    @Test func unquotedReferenceInAFlowMappingGetsAHint() {
        let yaml = quickstart.replacingOccurrences(of: "to: ./out/clips/", with: "to: ./${env:OUT_DIR}/clips/")
        let result = load(yaml)
        let error = diagnostic(result, containing: "quote values that hold ${...} inside { } or [ ]")
        #expect(error?.position.line == 7)
    }

    @Test func escapedReferenceIsLiteral() throws {
        let yaml = quickstart.replacingOccurrences(
            of: "duration: 5,", with: "duration: 5, prompt: \"costs $${price}\",")
        let pipeline = try #require(load(yaml).pipeline)
        guard case .generate(let generate) = pipeline.stages[1].kind else {
            Issue.record("not generate")
            return
        }
        #expect(generate.prompt == "costs ${price}")
    }

    @Test func literalAPIKeyWarnsWithoutPrintingTheKey() {
        let yaml = runwayPipeline.replacingOccurrences(of: "${env:RUNWAYML_API_SECRET}", with: "sk-live-abcdef")
        let result = load(yaml)
        let warning = diagnostic(result, containing: "is written into the manifest")
        #expect(warning?.severity == .warning)
        #expect(!result.diagnostics.contains { $0.message.contains("sk-live-abcdef") })
    }

    @Test func secretVariableCannotFeedAPrintedField() {
        let yaml = runwayPipeline.replacingOccurrences(
            of: "prompt: Smooth cinematic motion", with: "prompt: ${env:RUNWAYML_API_SECRET}")
        let result = load(yaml, environment: ["RUNWAYML_API_SECRET": "sk-live-abcdef"])
        expectError(
            result, "`${env:RUNWAYML_API_SECRET}` holds a secret and cannot be used in `stages.clips.prompt`", at: 21,
            13)
        #expect(!result.diagnostics.contains { $0.description.contains("sk-live-abcdef") })
    }

    @Test func secretIsRedactedWhenPrinted() {
        let secret = Secret("sk-live-abcdef")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "Secret(<redacted>)")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("sk-live"))
    }

    @Test func printingAPipelineShowsNoSecret() throws {
        let pipeline = try #require(
            load(runwayPipeline, environment: ["RUNWAYML_API_SECRET": "sk-live-abcdef"]).pipeline)
        var dumped = ""
        dump(pipeline, to: &dumped)
        #expect(!dumped.contains("sk-live-abcdef"))
        #expect(!String(describing: pipeline).contains("sk-live-abcdef"))
        #expect(!String(reflecting: pipeline).contains("sk-live-abcdef"))
    }

    @Test func unknownCommandLineVariableIsAnError() {
        let result = load(runwayPipeline, variables: [("usr", "bob")])
        let error = diagnostic(
            result, containing: "--var usr=...: the manifest declares no variable `usr`; did you mean `user`?")
        #expect(error?.severity == .error)
    }

    @Test func sessionMustBeAnIdentifierOnceInterpolated() {
        let yaml = runwayPipeline.replacingOccurrences(of: "name: teaser", with: "name: teaser\nsession: ${vars.user}")
        expectError(
            load(yaml, variables: [("user", "a b")]),
            "`session` is \"${vars.user}\" once interpolated, which is not a valid name", at: 3, 10)
        let literal = runwayPipeline.replacingOccurrences(
            of: "name: teaser", with: "name: teaser\nsession: \"a ${name}\"")
        expectError(load(literal), "`session` is \"a teaser\" once interpolated, which is not a valid name", at: 3, 10)
    }

    @Test func modelsAreCheckedAgainstTheCatalog() {
        let retired = load(runwayPipeline.replacingOccurrences(of: "model: gen4_turbo", with: "model: gen3a_turbo"))
        expectError(retired, "Runway no longer offers gen3a_turbo; use gen4_turbo", at: 18, 12)
        let typo = load(runwayPipeline.replacingOccurrences(of: "model: gen4_turbo", with: "model: gen4_trubo"))
        expectError(
            typo,
            "which provider `runway` (runway) does not offer; its models are gen4_turbo, gen4.5, veo3.1, veo3.1_fast; did you mean `gen4_turbo`?",
            at: 18, 12)
        let duration = load(runwayPipeline.replacingOccurrences(of: "duration: 5", with: "duration: 11"))
        expectError(
            duration, "`stages.clips.duration` is 11 s, which gen4_turbo does not make; it takes 2 to 10 seconds",
            at: 20, 15)
    }

    @Test func modelThatRequiresAPromptSaysSo() {
        let yaml =
            runwayPipeline
            .replacingOccurrences(of: "model: gen4_turbo", with: "model: gen4.5")
            .replacingOccurrences(of: "    prompt: Smooth cinematic motion\n", with: "")
        expectError(load(yaml), "`stages.clips` uses gen4.5, which needs a `prompt`", at: 15, 5)
    }

    @Test func enumValueListsTheValidOnes() {
        let result = load(
            quickstart.replacingOccurrences(
                of: "{ type: merge, needs: [clips] }", with: "{ type: merge, needs: [clips], mode: cpy }"))
        expectError(
            result, "`stages.film.mode` must be one of auto, copy, reencode, not \"cpy\"; did you mean `copy`?", at: 8,
            49)
    }

    @Test func webmCannotBeCopied() {
        let result = load(
            quickstart.replacingOccurrences(
                of: "{ type: merge, needs: [clips] }", with: "{ type: merge, needs: [clips], mode: copy, format: webm }"
            ))
        expectError(result, "webm re-encodes (VP9), so it cannot be merged in copy mode", at: 8, 63)
    }

    @Test func foldersMustEndWithASlash() {
        let result = load(quickstart.replacingOccurrences(of: "from: ./frames/", with: "from: ./frames"))
        expectError(result, "`stages.frames.from` names a folder, so it ends with `/`: write \"./frames/\"", at: 6, 34)
    }

    @Test func presignIsLimitedToSevenDays() {
        let result = load(runwayPipeline.replacingOccurrences(of: "presign: 24h", with: "presign: 8d"))
        expectError(result, "`stages.publish.presign` must be more than 0 and at most 7d", at: 30, 14)
    }

    @Test func publishToAFolderNamesTheFileAfterTheSessionAndFormat() throws {
        let yaml =
            quickstart
            .replacingOccurrences(
                of: "{ type: merge, needs: [clips] }", with: "{ type: merge, needs: [clips], format: webm }"
            )
            .replacingOccurrences(of: "to: ./out/quickstart.mp4", with: "to: ./out/")
        let pipeline = try #require(load(yaml).pipeline)
        guard case .publish(let publish) = pipeline.stages[3].kind else {
            Issue.record("not publish")
            return
        }
        #expect(publish.to == .local(path: "/work/project/out/quickstart.webm"))
    }

    @Test func stageReadingTheWrongTypeIsAnError() {
        let result = load(
            quickstart.replacingOccurrences(
                of: "{ type: publish, needs: [film]", with: "{ type: publish, needs: [clips]"))
        expectError(
            result,
            "stage `publish` (publish) cannot read `clips`, a generate stage; it reads merge or soundtrack or captions stages",
            at: 9, 37)
    }

    @Test func unusedStageIsAWarning() {
        let result = load(quickstart + "\n  extra: { type: frames, from: ./more/ }\n")
        let warning = diagnostic(result, containing: "stage `extra` is needed by no stage and publishes nothing")
        #expect(warning?.severity == .warning)
        #expect(result.pipeline != nil)
    }

    @Test func everyProblemIsReportedInOnePassSortedByPosition() {
        let yaml =
            runwayPipeline
            .replacingOccurrences(of: "duration: 5", with: "duration: five")
            .replacingOccurrences(of: "concurrency: 5", with: "concurrency: 0")
            .replacingOccurrences(of: "needs: [film]", with: "needs: [flim]")
        let result = load(yaml)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 3, "\(result.diagnostics)")
        #expect(result.diagnostics.map(\.position) == result.diagnostics.map(\.position).sorted())
    }

    @Test func overridesPickTheFirstMatchingGlob() throws {
        let yaml = runwayPipeline.replacingOccurrences(
            of: "    prompt: Smooth cinematic motion\n",
            with: """
                    prompt: Smooth cinematic motion
                    overrides:
                      - match: "frame_03_*"
                        prompt: Slow push-in
                      - match: "frame_0*"
                        seed: 9

                """)
        let pipeline = try #require(load(yaml, environment: ["RUNWAYML_API_SECRET": "k"]).pipeline)
        guard case .generate(let generate) = pipeline.stages[1].kind else {
            Issue.record("not generate")
            return
        }
        #expect(generate.options(forFrameNamed: "frame_03_a.png").prompt == "Slow push-in")
        #expect(generate.options(forFrameNamed: "frame_04.png").prompt == "Smooth cinematic motion")
        #expect(generate.options(forFrameNamed: "frame_04.png").seed == 9)
        #expect(generate.options(forFrameNamed: "other.png").seed == nil)
    }
}
