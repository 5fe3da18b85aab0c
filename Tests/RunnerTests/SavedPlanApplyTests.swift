import Foundation
import TestSupport
import Testing

/// `runner plan MANIFEST --out FILE` and `runner apply FILE` end to end (issue 17), through the runner binary: a
/// Ken Burns pipeline in a temporary folder, and a Runway one against the double.
@Suite(.serialized)
struct SavedPlanApplyTests {
    /// A local project of `frames` frames with the quickstart's manifest, and `extra` YAML lines.
    static func project(frames: Int = 3, extra: String = "") throws -> PipelineProject {
        let project = try PipelineProject.make(frames: frames)
        try project.write(manifest: Manifests.local(extra: extra))
        return project
    }

    /// `runner plan pipeline.yaml --out plan.json` in the project, expected to succeed.
    static func savePlan(_ project: PipelineProject, _ more: String...) throws {
        let result = try run(
            PackagePaths.runner, ["plan", project.manifest, "--out", "plan.json"] + more,
            environment: project.environment, in: project.folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("Saved the plan to plan.json"), "\(result.stderr)")
    }

    /// The saved plan as a JSON object.
    static func planObject(_ project: PipelineProject) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: project.path("plan.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Rewrites the saved plan with `edit` applied to its JSON object.
    static func editPlan(_ project: PipelineProject, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try planObject(project)
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: project.path("plan.json")))
    }

    /// Expects `apply plan.json` to refuse with exit status 1 naming `change`, having made nothing.
    static func expectRefusal(_ project: PipelineProject, naming change: String, _ more: String...) throws {
        let before = project.files(under: "out")
        let result = try run(
            PackagePaths.runner, ["apply", "plan.json"] + more, environment: project.environment, in: project.folder)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("nothing was done: the saved plan plan.json is not what apply would do now"),
            "\(result.stderr)")
        #expect(result.stderr.contains(change), "\(result.stderr)")
        #expect(result.stderr.contains("make and review the plan again"), "\(result.stderr)")
        #expect(project.files(under: "out") == before, "a refused apply wrote outputs")
    }

    // MARK: - Doing the plan

    @Test func applyOfASavedPlanDoesThePlanAndTheFileMatchesItsSchema() throws {
        let project = try Self.project()
        defer { project.remove() }
        try Self.savePlan(project)
        #expect(
            project.files(under: "out").isEmpty && project.files(under: ".runner/state").isEmpty,
            "plan --out made outputs")

        let plan = try Self.planObject(project)
        #expect(plan["format"] as? String == "runner-saved-plan")
        #expect((plan["manifest"] as? [String: Any])?["path"] as? String == "pipeline.yaml")
        let stages = try #require(plan["stages"] as? [[String: Any]])
        let clips = try #require(stages.first { $0["name"] as? String == "clips" }?["items"] as? [[String: Any]])
        #expect(clips.map { $0["action"] as? String } == ["create", "create", "create"])
        #expect(
            clips.allSatisfy {
                ($0["location"] as? String)?.hasPrefix("./out/clips/frame_0") == true
                    && ($0["key"] as? String)?.count == 64
            })

        let schema = PackagePaths.root.appendingPathComponent("docs/saved-plan.schema.json").path
        let checker = PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path
        let check = try run(try Scratch.which("python3"), [checker, schema, project.path("plan.json")])
        #expect(check.status == 0 && check.stdout.hasPrefix("ok "), "\(check.stdout)\(check.stderr)")

        let apply = try project.runner("apply", "plan.json")
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("clips generated  3"), "\(apply.stdout)")
        #expect(project.files(under: "out/clips").count == 3)
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 3.0) < 0.1)
    }

    @Test func anItemMadeMeanwhileIsNotedAndApplyGoesOn() throws {
        let project = try Self.project(frames: 2)
        defer { project.remove() }
        try Self.savePlan(project)
        #expect(try project.runner("apply", project.manifest).status == 0)

        let apply = try project.runner("apply", "plan.json")
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(
            apply.stderr.contains(
                "note: stage `clips`: item frame_01.png was to be made, now it is cached; another run made it since"),
            "\(apply.stderr)")
        #expect(apply.stdout.contains("clips generated  0"), "\(apply.stdout)")
    }

    // MARK: - Refusals

    @Test func anEditedManifestIsRefused() throws {
        let project = try Self.project()
        defer { project.remove() }
        try Self.savePlan(project)
        try (Manifests.local() + "\n# a comment\n").write(toFile: project.manifest, atomically: true, encoding: .utf8)
        try Self.expectRefusal(project, naming: "the manifest changed since the plan was made")
    }

    @Test func aChangedOrAddedFrameIsRefused() throws {
        let project = try Self.project(frames: 2)
        defer { project.remove() }
        try Self.savePlan(project)
        let scratch = try PipelineProject.make(frames: 3)
        defer { scratch.remove() }
        try FileManager.default.removeItem(atPath: project.path("frames/frame_02.png"))
        try FileManager.default.copyItem(
            atPath: scratch.path("frames/frame_03.png"), toPath: project.path("frames/frame_02.png"))
        try project.makeFrames(1, startingAt: 3)
        try Self.expectRefusal(project, naming: "frame frame_02.png changed (sha256:")
        try Self.expectRefusal(project, naming: "stage `frames`: 1 frame added since the plan was made: frame_03.png")
    }

    @Test func aChangedSubtitleFileOfAStageWaitingForItsFilmIsRefusedByName() throws {
        // The captions stage's key is not known at plan time (its film is not made), so only the recorded digest of
        // its own file can tell that the approved captions are not the ones apply would publish.
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try CaptionsPipelineTests.write(
            "1\n00:00:00,500 --> 00:00:01,500\nApproved\n", to: project.path("captions/en.srt"))
        try project.write(manifest: CaptionsPipelineTests.manifest("from: ./captions/en.srt"))
        try Self.savePlan(project)
        let words = try #require(
            (try Self.planObject(project)["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "words" })
        let files = try #require(words["files"] as? [[String: Any]])
        #expect(files.count == 1 && files.first?["location"] as? String == "./captions/en.srt", "\(files)")
        #expect((files.first?["digest"] as? String)?.hasPrefix("sha256:") == true, "\(files)")
        let schema = PackagePaths.root.appendingPathComponent("docs/saved-plan.schema.json").path
        let checker = PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path
        let check = try run(try Scratch.which("python3"), [checker, schema, project.path("plan.json")])
        #expect(check.status == 0 && check.stdout.hasPrefix("ok "), "\(check.stdout)\(check.stderr)")

        try CaptionsPipelineTests.write(
            "1\n00:00:00,500 --> 00:00:01,500\nNot approved\n", to: project.path("captions/en.srt"))
        try Self.expectRefusal(project, naming: "captions/en.srt (`from` of stage `words`) changed since the plan")
        #expect(project.files(under: ".runner/state").isEmpty, "a refused apply made work")
    }

    @Test func aChangedSubtitleFileOfAPlannedStageIsNamedNotOnlyItsKey() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try CaptionsPipelineTests.write(
            "1\n00:00:00,500 --> 00:00:01,500\nApproved\n", to: project.path("captions/en.srt"))
        try project.write(manifest: CaptionsPipelineTests.manifest("from: ./captions/en.srt"))
        #expect(try project.runner("apply", project.manifest).status == 0)
        try CaptionsPipelineTests.write(
            "1\n00:00:00,500 --> 00:00:01,500\nSecond\n", to: project.path("captions/en.srt"))
        try Self.savePlan(project)  // the film is made: the captions' key is known and in the plan
        try CaptionsPipelineTests.write(
            "1\n00:00:00,500 --> 00:00:01,500\nThird\n", to: project.path("captions/en.srt"))
        let result = try run(
            PackagePaths.runner, ["apply", "plan.json"], environment: project.environment, in: project.folder)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("captions/en.srt (`from` of stage `words`) changed since the plan was made"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("would be made from other inputs than planned"), "\(result.stderr)")
    }

    @Test func aCachedClipWhoseOutputIsGoneIsRefused() throws {
        let project = try Self.project()
        defer { project.remove() }
        #expect(try project.runner("apply", project.manifest).status == 0)
        try Self.savePlan(project)
        let clip = try #require(project.files(under: "out/clips").keys.sorted().first)
        try FileManager.default.removeItem(atPath: project.path(clip))
        try Self.expectRefusal(
            project, naming: "stage `clips`: item frame_01.png was cached, now it would be made again")
        #expect(!FileManager.default.fileExists(atPath: project.path(clip)), "the refused apply made the clip again")
    }

    @Test func anotherRunnerVersionIsRefused() throws {
        let project = try Self.project(frames: 1)
        defer { project.remove() }
        try Self.savePlan(project)
        try Self.editPlan(project) { $0["runnerVersion"] = "0.0.9" }
        try Self.expectRefusal(project, naming: "the plan was made by runner 0.0.9, this is runner ")
    }

    @Test func otherVariablesAreRefusedAndRetryFailedMustMatch() throws {
        let project = try Self.project(frames: 1, extra: "vars: { user: alice }\nsession: ${vars.user}")
        defer { project.remove() }
        try Self.savePlan(project, "--var", "user=bob")
        try Self.expectRefusal(project, naming: "`${vars.user}` has another value than when the plan was made")

        let retry = try project.runner("apply", "plan.json", "--var", "user=bob", "--retry-failed")
        #expect(retry.status == 2, "\(retry.stderr)")
        #expect(
            retry.stderr.contains("--retry-failed: the saved plan plan.json was made without it"), "\(retry.stderr)")

        let apply = try project.runner("apply", "plan.json", "--var", "user=bob")
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    }

    // MARK: - Hostile and misplaced files

    @Test(arguments: [
        ("wrong types", #"`totals.credits` has the wrong type (a number expected)"#),
        ("control characters", #"`stages[1].items[0].item` holds control characters"#),
        ("a link", #"`stages[1].items[0].location` is not an s3:// URL or a path"#),
        ("an absolute manifest", "`manifest.path` is absolute"),
    ])
    func aHostilePlanFileIsNamedAndNothingRuns(_ hostile: String, _ expected: String) throws {
        let project = try Self.project(frames: 1)
        defer { project.remove() }
        try Self.savePlan(project)
        try Self.editPlan(project) { object in
            switch hostile {
            case "wrong types":
                object["totals"] = ["credits": "many", "dollars": 0, "estimatedSeconds": 1]
            case "an absolute manifest":
                object["manifest"] = [
                    "path": "/etc/pipeline.yaml", "sha256": String(repeating: "a", count: 64), "values": [Any](),
                ]
            default:
                guard var stages = object["stages"] as? [[String: Any]],
                    var items = stages[1]["items"] as? [[String: Any]]
                else { return }
                if hostile == "a link" {
                    items[0]["location"] = "https://example.com/clip.mp4"
                } else {
                    items[0]["item"] = "frame\u{1B}[2J.png"
                }
                stages[1]["items"] = items
                object["stages"] = stages
            }
        }
        let apply = try project.runner("apply", "plan.json")
        #expect(apply.status == 2, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains(expected), "\(apply.stderr)")
        #expect(!apply.stderr.contains("\u{1B}"), "a control character reached the terminal")
        #expect(project.files(under: "out").isEmpty && project.files(under: ".runner/state").isEmpty)
    }

    @Test func aPlanOutsideTheProjectOfItsManifestIsRefused() throws {
        // A plan in project A that names project B's manifest: apply must not run B with A's plan.
        let mine = try Self.project(frames: 1)
        let other = try Self.project(frames: 1)
        defer {
            mine.remove()
            other.remove()
        }
        let result = try run(
            PackagePaths.runner, ["plan", other.manifest, "--out", "plan.json"], environment: other.environment,
            in: other.folder)
        #expect(result.status == 0, "\(result.stderr)")
        try FileManager.default.copyItem(atPath: other.path("plan.json"), toPath: mine.path("plan.json"))
        try Self.editPlan(mine) { object in
            var manifest = object["manifest"] as? [String: Any] ?? [:]
            manifest["path"] = "../\(other.folder.lastPathComponent)/pipeline.yaml"
            object["manifest"] = manifest
        }
        let apply = try mine.runner("apply", "plan.json")
        #expect(apply.status == 2, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("but lies outside its project"), "\(apply.stderr)")
        #expect(other.files(under: "out").isEmpty)
    }

    @Test func planOutOutsideTheProjectIsRefused() throws {
        let project = try Self.project(frames: 1)
        defer { project.remove() }
        let elsewhere = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let target = elsewhere.appendingPathComponent("plan.json").path
        let refused = try project.runner("plan", project.manifest, "--out", target)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("refused to write the plan to"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))

        // A symbolic link in the project that leads out of it is not written through.
        try FileManager.default.createSymbolicLink(atPath: project.path("plan.json"), withDestinationPath: target)
        #expect(try project.runner("plan", project.manifest, "--out", "plan.json").status == 2)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    // MARK: - Paying exactly the plan

    @Test func aRunwayPlanIsPaidForExactlyAsSaved() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        try project.write(
            manifest: """
                version: 1
                name: saved-runway
                providers:
                  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 50ms }
                budget: { maxCredits: 500 }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, duration: 5, prompt: "A slow push-in", retries: 0, to: ./clips/ }
                  film: { type: merge, needs: [clips] }
                  publish: { type: publish, needs: [film], to: ./out/film.mp4 }
                """)
        let tenant = try await DoubleTenant.make()
        project.environment["RUNWAYML_API_SECRET"] = tenant.key
        project.environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        try Self.savePlan(project)
        let text = try String(contentsOfFile: project.path("plan.json"), encoding: .utf8)
        #expect(!text.contains(tenant.key), "the plan holds the API key")
        let plan = try Self.planObject(project)
        let totals = try #require(plan["totals"] as? [String: Any])
        #expect(totals["credits"] as? Double == 75 && totals["maxCredits"] as? Double == 500, "\(totals)")
        let prices = try #require((plan["prices"] as? [String: Any])?["models"] as? [[String: Any]])
        #expect(
            prices.count == 1 && prices[0]["model"] as? String == "gen4_turbo"
                && prices[0]["creditsPerSecond"] as? Double == 5)
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0, "plan --out paid for something")

        let apply = try project.runner("apply", "plan.json")
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 3)
        #expect(FileManager.default.fileExists(atPath: project.path("out/film.mp4")))

        // Done: the same plan again notes every item made, and pays nothing more.
        let again = try project.runner("apply", "plan.json")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("another run made it since"), "\(again.stderr)")
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 3)
    }
}
