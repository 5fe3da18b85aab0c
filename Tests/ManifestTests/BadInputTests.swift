import Manifest
import Testing

/// Each bad input of the foundation issue: the message, and its line and column.
@Suite struct BadInputTests {
    @Test func emptyFileNeedsTheRequiredKeys() {
        expectError(load(""), "the manifest is empty", at: 1, 1)
    }

    @Test func rootThatIsNotAMappingIsRefused() {
        expectError(
            load("- version: 1\n- name: x\n"), "must be a mapping with `version`, `name` and `stages`, not a list",
            at: 1, 1)
    }

    @Test func unknownVersionSaysWhichVersionThisRunnerReads() {
        let result = load(quickstart.replacingOccurrences(of: "version: 1", with: "version: 3"))
        expectError(result, "unknown manifest version 3; this runner reads version 1", at: 1, 10)
    }

    @Test func tabIndentationIsNamedAsSuch() {
        let result = load("version: 1\nname: x\nstages:\n\tframes: { type: frames, from: ./f/ }\n")
        expectError(result, "a tab character indents this line; YAML indentation must use spaces", at: 4, 1)
    }

    @Test func duplicateKeyIsReportedAtTheDuplicateNotTheMapping() {
        let yaml = quickstart + "\nname: again\n"
        expectError(load(yaml), "`name` is defined twice in this mapping (first at line 2)", at: 10, 1)
    }

    @Test func everyDuplicateKeyIsReportedInOnePass() {
        let yaml = """
            version: 1
            name: x
            stages:
              frames:
                type: frames
                from: ./a/
                from: ./b/
              film:
                type: merge
                needs: [clips]
                mode: copy
                mode: auto
            name: y
            """
        let result = load(yaml)
        let duplicates = result.diagnostics.filter { $0.message.contains("is defined twice") }
        #expect(duplicates.map { [$0.position.line, $0.position.column] } == [[7, 5], [12, 5], [13, 1]])
    }

    @Test func unknownKeysAreErrorsAtEveryLevelWithSuggestions() {
        let yaml = """
            version: 1
            name: x
            stagse: {}
            s3:
              regoin: eu-west-1
            budget:
              maxCredit: 5
            providers:
              draft:
                type: kenburns
                fsp: 30
            stages:
              frames:
                type: frames
                form: ./f/
              clips:
                type: generate
                needs: [frames]
                provider: draft
                promt: hello
                to: ./c/
                overrides:
                  - match: "a*"
                    promtp: x
              film:
                type: merge
                needs: [clips]
                transition: { type: crossfade, duraton: 1 }
              publish:
                type: publish
                needs: [film]
                to: ./v.mp4
                presing: 1h
            """
        let result = load(yaml)
        expectError(result, "unknown key `stagse` in the manifest; did you mean `stages`?", at: 3, 1)
        expectError(result, "unknown key `regoin` in `s3`; did you mean `region`?", at: 5, 3)
        expectError(result, "unknown key `maxCredit` in `budget`; did you mean `maxCredits`?", at: 7, 3)
        expectError(
            result, "unknown key `fsp` in `providers.draft` (a kenburns provider); did you mean `fps`?", at: 11, 5)
        expectError(result, "unknown key `form` in `stages.frames` (a frames stage); did you mean `from`?", at: 15, 5)
        expectError(
            result, "unknown key `promt` in `stages.clips` (a generate stage); did you mean `prompt`?", at: 20, 5)
        expectError(result, "unknown key `promtp` in `stages.clips.overrides[0]`; did you mean `prompt`?", at: 24, 9)
        expectError(result, "unknown key `duraton` in `stages.film.transition`; did you mean `duration`?", at: 28, 36)
        expectError(
            result, "unknown key `presing` in `stages.publish` (a publish stage); did you mean `presign`?", at: 33, 5)
    }

    @Test func unknownKeyWithoutNearMissListsTheValidKeys() {
        let result = load(quickstart + "\ncolour: blue\n")
        expectError(
            result, "unknown key `colour` in the manifest; the keys here are `version`, `name`, `session`", at: 10, 1)
    }

    @Test func textForDurationIsATypeError() {
        let result = load(runwayPipeline.replacingOccurrences(of: "duration: 5", with: "duration: five"))
        expectError(result, "`stages.clips.duration` must be a whole number, not the text \"five\"", at: 20, 15)
    }

    @Test func listForPromptIsATypeError() {
        let result = load(
            runwayPipeline.replacingOccurrences(of: "prompt: Smooth cinematic motion", with: "prompt: [a, b]"))
        expectError(result, "`stages.clips.prompt` must be text, not a list", at: 21, 13)
    }

    @Test func ratioTheModelLacksListsTheValidOnes() {
        let result = load(runwayPipeline.replacingOccurrences(of: "\"1280:720\"", with: "\"1920:1080\""))
        expectError(
            result,
            "`stages.clips.ratio` 1920:1080 is not a ratio of gen4_turbo; it takes 1280:720, 720:1280, 1104:832, 832:1104, 960:960, 1584:672",
            at: 19, 12)
    }

    @Test func gen3RatioSaysItsModelIsRetiredAndListsTheValidSix() {
        let result = load(runwayPipeline.replacingOccurrences(of: "\"1280:720\"", with: "\"1280:768\""))
        expectError(
            result,
            "1280:768 belonged to gen3a_turbo, which Runway no longer offers; gen4_turbo takes 1280:720, 720:1280, 1104:832, 832:1104, 960:960, 1584:672",
            at: 19, 12)
    }

    @Test func needsNamingAMissingStageSuggestsTheClosest() {
        let result = load(quickstart.replacingOccurrences(of: "needs: [clips]", with: "needs: [clip]"))
        expectError(result, "stage `film` needs `clip`, which is not a stage; did you mean `clips`?", at: 8, 35)
    }

    @Test func cycleIsNamedStageByStage() {
        let yaml = """
            version: 1
            name: loop
            providers:
              draft: { type: kenburns }
            stages:
              frames: { type: frames, from: ./f/ }
              clips: { type: generate, needs: [frames], provider: draft, to: ./c/ }
              a: { type: merge, needs: [clips, b] }
              b: { type: merge, needs: [a] }
              publish: { type: publish, needs: [b], to: ./v.mp4 }
            """
        expectError(load(yaml), "the stages form a cycle: a -> b -> a", at: 8, 3)
    }

    @Test func providerThatDoesNotExistSuggestsTheClosest() {
        let result = load(quickstart.replacingOccurrences(of: "provider: draft", with: "provider: drfat"))
        expectError(
            result, "`stages.clips.provider` names `drfat`, which is not a declared provider; did you mean `draft`?",
            at: 7, 57)
    }

    @Test func unknownVariableIsReportedAtItsReference() {
        let result = load(runwayPipeline.replacingOccurrences(of: "clips/${vars.user}/", with: "clips/${vars.usr}/"))
        expectError(result, "unknown variable `usr` in `${vars.usr}`; did you mean ${vars.user}?", at: 22, 33)
    }

    // A --var value is the command line's, and may be a secret given there: messages name the reference instead.
    @Test func dotDotArrivingThroughAVariableIntoAPathIsRejected() {
        let result = load(runwayPipeline, variables: [("user", "../../etc")])
        expectError(result, "`${vars.user}` puts its value into `stages.frames.from`, and it contains `..`", at: 13, 36)
        expectError(result, "`${vars.user}` puts its value into `stages.clips.to`, and it contains `..`", at: 22, 33)
        #expect(!result.diagnostics.contains { $0.message.contains("../../etc") })
    }

    @Test func leadingSlashArrivingThroughAVariableIntoAPathIsRejected() {
        let result = load(runwayPipeline, variables: [("user", "/root")])
        expectError(result, "puts its value into `stages.frames.from`, and it begins with `/`", at: 13, 36)
    }

    @Test func aManifestVariableWithALiteralValueIsShownAsItIs() {
        let yaml = runwayPipeline.replacingOccurrences(of: "user: alice", with: "user: ../up")
        expectError(
            load(yaml), "`${vars.user}` puts \"../up\" into `stages.frames.from`, and it contains `..`", at: 13, 36)
    }

    @Test func controlCharacterArrivingThroughTheEnvironmentIsRejectedWithoutEchoingIt() {
        let yaml = runwayPipeline.replacingOccurrences(of: "clips/${vars.user}/", with: "clips/${env:CLIP_DIR}/")
        let result = load(yaml, environment: ["CLIP_DIR": "a\u{7}b"])
        expectError(
            result, "`${env:CLIP_DIR}` puts its value into `stages.clips.to`, and it contains a control character",
            at: 22, 33)
    }

    @Test func promptOverOneThousandUTF16CodeUnitsIsRefused() {
        // 600 emoji are 600 characters but 1,200 UTF-16 code units: the limit counts code units.
        let prompt = String(repeating: "🎬", count: 600)
        let result = load(runwayPipeline.replacingOccurrences(of: "Smooth cinematic motion", with: prompt))
        expectError(
            result, "`stages.clips.prompt` is 1200 UTF-16 code units long; prompts may have at most 1000", at: 21, 13)
    }

    @Test func promptOfExactlyOneThousandCodeUnitsIsAccepted() {
        let prompt = String(repeating: "a", count: 1000)
        let result = load(
            runwayPipeline.replacingOccurrences(of: "Smooth cinematic motion", with: prompt),
            environment: ["RUNWAYML_API_SECRET": "key"])
        #expect(!result.hasErrors, "\(result.diagnostics)")
    }

    @Test func tenMegabyteFileIsRefusedBeforeParsing() {
        let yaml = quickstart + "\n# " + String(repeating: "x", count: 10 << 20) + "\n"
        expectError(load(yaml), "the manifest is 10 MiB; a manifest may be at most 4 MiB", at: 1, 1)
    }

    @Test func binaryGarbageIsNotUTF8Text() {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0xFF
        let result = ManifestLoader.load(bytes: bytes, file: "pipeline.yaml", directory: "/work/project")
        expectError(result, "the file is not UTF-8 text (byte 0xFF); a manifest is a YAML text file", at: 1, 1)
    }

    @Test func controlCharacterInTheFileIsNamed() {
        expectError(load("version: 1\nname: x\u{0}y\n"), "the file contains the control character U+0000", at: 2, 8)
    }

    @Test func lineSeparatorThatEditorsDoNotShowIsNamed() {
        expectError(
            load("version: 1\nname: x\u{2028}y\n"),
            "the file contains U+2028, which YAML reads as a line break but editors do not", at: 2, 8)
    }

    @Test func aliasBombIsRefusedWithoutExpandingIt() {
        var lines = ["version: 1", "name: x", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
            previous = name
        }
        // Expanded, this is 9^9 (387 million) strings; refused at the alias that crosses the limit.
        let result = load(lines.joined(separator: "\n") + "\nstages: {}\n")
        expectError(
            result, "the aliases of this document expand to more than 200000 nodes (an \"alias bomb\")", at: 8, 12)
    }

    @Test func aliasUsedAsAKeyIsRefused() {
        let yaml = "version: 1\nname: x\nbase: &base [a, b]\nvars:\n  ? *base\n  : 1\nstages: {}\n"
        expectError(load(yaml), "the alias *base is used as a mapping key; a manifest's keys are plain text", at: 5, 5)
    }

    @Test func tenThousandLevelsOfNestingAreRefusedWithAPosition() {
        let yaml =
            "version: 1\nname: x\nstages: " + String(repeating: "[", count: 10_000)
            + String(repeating: "]", count: 10_000) + "\n"
        let result = load(yaml)
        guard let found = diagnostic(result, containing: "the YAML nests deeper than 1000 levels") else { return }
        #expect(found.position.line == 3)
        #expect(found.severity == .error)
    }

    @Test func tenThousandLevelsOfBlockListsAreRefusedWithAPosition() {
        let yaml = "version: 1\nname: x\nstages:\n" + String(repeating: "- ", count: 10_000) + "x\n"
        let result = load(yaml)
        guard let found = diagnostic(result, containing: "the YAML nests deeper than 1000 levels") else { return }
        #expect(found.position.line == 4)
    }

    @Test func syntaxErrorKeepsLibyamlsPosition() {
        let result = load("version: 1\nname: x\nstages: {frames: [}\n")
        #expect(result.hasErrors)
        #expect(result.diagnostics.first?.position.line == 3)
        #expect(result.diagnostics.first?.message.hasPrefix("invalid YAML:") ?? false)
    }

    @Test func secondDocumentIsRefused() {
        expectError(load(quickstart + "\n---\nversion: 1\n"), "the file holds more than one YAML document", at: 10, 1)
    }
}
