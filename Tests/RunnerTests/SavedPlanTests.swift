import Foundation
import TestSupport
import Testing

@testable import Runner

/// The saved plan (issue 17): its file format, the checks of a file read back, and what `apply FILE` compares.
/// Pure: no file is read or written, except by the schema test.
struct SavedPlanTests {
    static let manifestDigest = String(repeating: "a", count: 64)
    static let keys = (1...6).map { String(repeating: String($0), count: 64) }

    /// A pipeline of three frames, their clips (one cached, one to make, one to resume), a merge and a publish that are
    /// known only once the clips exist.
    static func plan() -> SavedPlan {
        let frames = SavedPlan.Stage(
            name: "frames", type: "frames",
            frames: [
                .init(name: "frame_01.jpg", digest: "sha256:" + String(repeating: "1", count: 64)),
                .init(name: "frame_02.jpg", digest: "md5:" + String(repeating: "2", count: 32)),
                .init(name: "frame_03.jpg", digest: "etag:\"3-2\""),
            ], items: [.init(item: "notes.txt", key: nil, action: .skipped, reason: "not an image (.txt)")])
        let clips = SavedPlan.Stage(
            name: "clips", type: "generate",
            items: [
                .init(
                    item: "frame_01.jpg", key: keys[0], action: .cached,
                    location: "s3://media/clips/frame_01-11111111.mp4"),
                .init(
                    item: "frame_02.jpg", key: keys[1], action: .create,
                    location: "s3://media/clips/frame_02-22222222.mp4", credits: 25),
                .init(
                    item: "frame_03.jpg", key: keys[2], action: .resume, taskID: "6453a937-0a70-4c1e-9f0e-3b1b1a2f8c11",
                    location: "s3://media/clips/frame_03-33333333.mp4"),
            ])
        let film = SavedPlan.Stage(
            name: "film", type: "merge",
            items: [
                .init(item: "film", key: nil, action: .create, reason: "its clips are not all made yet")
            ])
        let publish = SavedPlan.Stage(
            name: "publish", type: "publish",
            items: [
                .init(
                    item: "publish", key: nil, action: .create, reason: "the film is not made yet",
                    location: "s3://media/final/film.mp4")
            ])
        return SavedPlan(
            runnerVersion: "0.1.0", pipeline: "teaser", session: "alice",
            manifest: .init(
                path: "pipeline.yaml", sha256: manifestDigest,
                values: [
                    .init(reference: "vars.user", sha256: String(repeating: "b", count: 64)),
                    .init(reference: "env:BUCKET", sha256: String(repeating: "c", count: 64)),
                ]),
            stages: [frames, clips, film, publish],
            prices: .init(
                dollarsPerCredit: 0.01, models: [.init(provider: "runway", model: "gen4_turbo", creditsPerSecond: 5)]),
            totals: .init(credits: 25, dollars: 0.25, estimatedSeconds: 63, maxCredits: 500))
    }

    /// The changes from `plan()` to `plan()` edited by `change`.
    static func changes(_ change: (inout SavedPlan) throws -> Void) rethrows -> [PlanChange] {
        var current = plan()
        try change(&current)
        return plan().changes(comparedTo: current)
    }

    static func index(_ plan: SavedPlan, _ stage: String) throws -> Int {
        try #require(plan.stages.firstIndex { $0.name == stage })
    }

    // MARK: - Comparison

    @Test func anUnchangedPlanHasNoChange() {
        #expect(Self.plan().changes(comparedTo: Self.plan()).isEmpty)
    }

    @Test func anotherRunnerVersionRefuses() {
        let changes = Self.changes { $0.runnerVersion = "0.2.0" }
        #expect(
            changes == [
                .init(
                    .refuses, .runnerVersion,
                    "the plan was made by runner 0.1.0, this is runner 0.2.0: "
                        + "apply it with the runner that made it, or plan again")
            ])
    }

    @Test func aChangedManifestRefuses() {
        let changes = Self.changes { $0.manifest.sha256 = String(repeating: "d", count: 64) }
        #expect(
            changes.map(\.message) == [
                "the manifest changed since the plan was made (sha256:aaaaaaaa… then, sha256:dddddddd… now)"
            ])
        #expect(changes.allSatisfy { $0.severity == .refuses })
    }

    @Test func theSameManifestReadFromAnotherPathIsANote() {
        let changes = Self.changes { $0.manifest.path = "./ci/pipeline.yaml" }
        #expect(
            changes == [
                .init(
                    .notes, .manifestPath, "the manifest is read from ./ci/pipeline.yaml, the plan's was pipeline.yaml")
            ])
    }

    @Test func aVariableOrEnvironmentValueThatChangedIsNamed() {
        let changes = Self.changes { plan in
            plan.manifest.values = [
                .init(reference: "vars.user", sha256: String(repeating: "e", count: 64)),
                .init(reference: "env:BUCKET", sha256: String(repeating: "c", count: 64)),
                .init(reference: "env:PREFIX", sha256: String(repeating: "f", count: 64)),
            ]
        }
        #expect(
            changes.map(\.message) == [
                "`${env:PREFIX}` is read now but was not when the plan was made",
                "`${vars.user}` has another value than when the plan was made (`--var` or the environment gave another); apply with the plan's values",
            ])
        #expect(changes.allSatisfy { $0.severity == .refuses && $0.kind == .value })
    }

    @Test func anotherRetryOptionRefuses() {
        let changes = Self.changes { $0.options.retryFailed = true }
        #expect(
            changes.map(\.message) == ["the plan was made without --retry-failed, apply is running with --retry-failed"]
        )
    }

    @Test func aChangedPriceIsNamedOnceNotPerItem() throws {
        let changes = try Self.changes { plan in
            plan.prices.models[0].creditsPerSecond = 6
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[1].credits = 30
            plan.totals.credits = 30
        }
        #expect(
            changes.map(\.message) == [
                "the price of gen4_turbo changed from 5 to 6 credits a second",
                "apply would pay up to 30 credits, more than the 25 the plan said",
            ])
    }

    @Test func otherPricesAndModelsAreNamed() {
        let changes = Self.changes { plan in
            plan.prices = .init(
                dollarsPerCredit: 0.02,
                models: [
                    .init(provider: "runway", model: "gen4_turbo", creditsPerSecond: 5, creditsPerSecondWithAudio: 10),
                    .init(provider: "runway", model: "gen4.5", creditsPerSecond: 12),
                ])
        }
        #expect(
            changes.map(\.message) == [
                "a credit costs 0.02 USD now, 0.01 in the plan",
                "the price of gen4_turbo with audio changed from no price to 10 credits a second",
                "apply would use gen4.5 (12 credits a second), which the plan did not price",
            ])
    }

    @Test func framesChangedAddedAndRemovedAreNamed() throws {
        let changes = try Self.changes { plan in
            let frames = try Self.index(plan, "frames")
            plan.stages[frames].frames?[2].digest = "etag:\"4-2\""
            plan.stages[frames].frames?[1] = .init(
                name: "frame_02b.jpg", digest: "sha256:" + String(repeating: "9", count: 64))
            plan.stages[frames].frames?[0].digest = "sha256:cd34" + String(repeating: "0", count: 60)
        }
        #expect(
            changes.map(\.message) == [
                "stage `frames`: 1 frame added since the plan was made: frame_02b.jpg",
                "stage `frames`: 1 frame of the plan is gone: frame_02.jpg",
                "frame frame_01.jpg changed (sha256:11111111… then, sha256:cd340000… now)",
                "frame frame_03.jpg changed (etag:\"3-2\" then, etag:\"4-2\" now)",
            ])
        #expect(changes.allSatisfy { $0.severity == .refuses && $0.stage == "frames" })
    }

    @Test func aCachedItemWhoseOutputIsGoneRefuses() throws {
        let changes = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[0].action = .regenerate
            plan.stages[clips].items[0].reason = "its output s3://media/clips/frame_01-11111111.mp4 is gone"
            plan.stages[clips].items[0].credits = 25
            plan.totals.credits = 50
        }
        #expect(
            changes.map(\.message) == [
                "stage `clips`: item frame_01.jpg was cached, now it would be made again (its output s3://media/clips/frame_01-11111111.mp4 is gone)",
                "apply would pay up to 50 credits, more than the 25 the plan said",
            ])
    }

    @Test func anItemMadeByAnotherRunMeanwhileIsANote() throws {
        let changes = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[1].action = .cached
            plan.stages[clips].items[1].credits = 0
            plan.totals.credits = 0
        }
        #expect(
            changes == [
                .init(
                    .notes, .decision, stage: "clips",
                    "stage `clips`: item frame_02.jpg was to be made, "
                        + "now it is cached; another run made it since, from the same inputs")
            ])
    }

    @Test func aResumeOfAnotherTaskIsANoteAndAFailureRefuses() throws {
        let resumed = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[2].taskID = "task-2"
        }
        #expect(resumed.map(\.severity) == [.notes])
        let failed = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[1].action = .failed
            plan.stages[clips].items[1].reason = "it failed before (SAFETY.INPUT.IMAGE)"
        }
        #expect(
            failed == [
                .init(
                    .refuses, .decision, stage: "clips",
                    "stage `clips`: item frame_02.jpg was to be made, "
                        + "now it failed before and would not be tried (it failed before (SAFETY.INPUT.IMAGE))")
            ])
    }

    @Test func aNewKeyOrLocationRefuses() throws {
        let changes = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items[1].key = Self.keys[4]
            plan.stages[clips].items[1].location = "s3://other/clips/frame_02-55555555.mp4"
        }
        #expect(
            changes.map(\.message) == [
                "stage `clips`: item frame_02.jpg would be made from other inputs than planned (key 22222222… then, 55555555… now)",
                "stage `clips`: item frame_02.jpg would be written to s3://other/clips/frame_02-55555555.mp4, not "
                    + "s3://media/clips/frame_02-22222222.mp4 as planned",
            ])
    }

    @Test func aKeyUnknownInThePlanMatchesTheKeyItsInputsGiveNow() throws {
        let known = try Self.changes { plan in
            let film = try Self.index(plan, "film")
            plan.stages[film].items[0].key = Self.keys[5]
            plan.stages[film].items[0].reason = "3 clips"
        }
        #expect(known.isEmpty)
        let unknownNow = Self.changes { _ in }
        #expect(unknownNow.isEmpty)
        var saved = Self.plan()
        let film = try Self.index(saved, "film")
        saved.stages[film].items[0].key = Self.keys[5]
        let changes = saved.changes(comparedTo: Self.plan())
        #expect(
            changes.map(\.message) == [
                "stage `film`: item film would be made from other inputs than planned "
                    + "(key 66666666… then, known only once its inputs exist now)"
            ])
    }

    /// A plan whose film stage `words` reads `./captions/en.srt` itself, with its key `key` (nil: not known yet).
    static func planWithCaptions(digest: String?, key: String?) -> SavedPlan {
        var plan = plan()
        plan.stages.insert(
            SavedPlan.Stage(
                name: "words", type: "captions",
                files: [.init(role: "from", location: "./captions/en.srt", digest: digest)],
                items: [
                    .init(
                        item: "words", key: key, action: .create,
                        reason: key == nil ? "the film it needs is not made yet" : nil)
                ]), at: 3)
        return plan
    }

    @Test func aChangedOwnFileRefusesNamingTheFileWhetherOrNotTheKeyWasKnown() throws {
        let before = "sha256:" + String(repeating: "d", count: 64)
        let after = "sha256:" + String(repeating: "e", count: 64)
        let expected =
            "captions/en.srt (`from` of stage `words`) changed since the plan was made "
            + "(sha256:dddddddd… then, sha256:eeeeeeee… now); make and review the plan again"
        // Unknown key: the file's digest is all that can tell.
        let waiting = Self.planWithCaptions(digest: before, key: nil)
            .changes(comparedTo: Self.planWithCaptions(digest: after, key: nil))
        #expect(waiting.map(\.message) == [expected])
        #expect(waiting.allSatisfy { $0.severity == .refuses && $0.kind == .file && $0.stage == "words" })
        // A known key that differs because of the file: the file is named, not only the key.
        let known = Self.planWithCaptions(digest: before, key: Self.keys[3])
            .changes(comparedTo: Self.planWithCaptions(digest: after, key: Self.keys[4]))
        #expect(known.map(\.message) == [expected])
        // Unreadable then, readable now.
        let appeared = Self.planWithCaptions(digest: nil, key: nil)
            .changes(comparedTo: Self.planWithCaptions(digest: after, key: nil))
        #expect(appeared.map(\.message).first?.contains("(unreadable then, sha256:eeeeeeee… now)") == true)
        // The same file: no change.
        #expect(
            Self.planWithCaptions(digest: before, key: nil)
                .changes(comparedTo: Self.planWithCaptions(digest: before, key: nil)).isEmpty)
    }

    @Test func aPlanWithOwnFilesRoundTripsAndAHostileFileEntryIsNamed() throws {
        let plan = Self.planWithCaptions(digest: "md5:" + String(repeating: "f", count: 32), key: nil)
        let data = try plan.encoded()
        #expect(try SavedPlan.load(data, file: "plan.json") == plan)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var stages = try #require(object["stages"] as? [[String: Any]])
        stages[3]["files"] = [["role": "subtitles", "location": "https://example.invalid/x.srt", "digest": "md5:00"]]
        object["stages"] = stages
        let hostile = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: SavedPlanError.self) { try SavedPlan.load(hostile, file: "plan.json") }
        do {
            _ = try SavedPlan.load(hostile, file: "plan.json")
        } catch {
            #expect("\(error)".contains("`stages[3].files[0].location` is not an s3:// URL or a path"), "\(error)")
        }
    }

    @Test func itemsAndStagesAddedOrRemovedAreNamed() throws {
        let changes = try Self.changes { plan in
            let clips = try Self.index(plan, "clips")
            plan.stages[clips].items.append(
                .init(item: "frame_04.jpg", key: Self.keys[3], action: .create, credits: 25))
            plan.stages[clips].items.remove(at: 0)
            plan.stages.removeAll { $0.name == "publish" }
            plan.stages.append(.init(name: "upload", type: "publish", items: []))
        }
        #expect(
            changes.map(\.message) == [
                "the pipeline: 1 stage added since the plan was made: upload",
                "the pipeline: 1 stage of the plan is gone: publish",
                "stage `clips`: 1 item added since the plan was made: frame_04.jpg",
                "stage `clips`: 1 item of the plan is gone: frame_01.jpg",
            ])
    }

    @Test func theRefusalListsWhatChangedAndWhatToDo() {
        let changes = Self.changes { $0.manifest.sha256 = String(repeating: "d", count: 64) }
        let refusal = StalePlan(file: "plan.json", changes: changes)
        #expect(
            refusal.description == """
                nothing was done: the saved plan plan.json is not what apply would do now (1 change since it was made):
                  - the manifest changed since the plan was made (sha256:aaaaaaaa… then, sha256:dddddddd… now)
                make and review the plan again (`runner plan MANIFEST --out FILE`), then apply that one
                """)
    }

    @Test func applyRefusesOnRefusalsAndGoesOnWithNotes() throws {
        var notes = Self.plan()
        notes.manifest.path = "./ci/pipeline.yaml"
        #expect(try Self.plan().check(against: notes, file: "plan.json").map(\.kind) == [.manifestPath])
        var stale = notes
        stale.runnerVersion = "0.2.0"
        #expect(throws: StalePlan.self) { try Self.plan().check(against: stale, file: "plan.json") }
        do {
            _ = try Self.plan().check(against: stale, file: "plan.json")
        } catch {
            #expect(error.changes.map(\.kind) == [.runnerVersion], "the refusal lists what refuses, not the notes")
        }
    }

    // MARK: - Facts

    @Test func factsAreDigestedAndPricedTheSameWayEverywhere() throws {
        let manifest = try SavedPlan.ManifestSource(
            path: "pipeline.yaml", bytes: Data("abc".utf8),
            values: [
                try .init(reference: "vars.user", value: "abc"),
                try .init(reference: "env:BUCKET", value: "media"),
            ])
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(manifest.sha256 == abc)
        #expect(
            manifest.values.map(\.reference) == ["env:BUCKET", "vars.user"],
            "sorted, so that the order given does not matter")
        #expect(manifest.values.last?.sha256 == abc)
        let prices = SavedPlan.Prices.catalog([
            (.runway, "veo3.1"), (.runway, "gen4_turbo"), (.runway, "gen4_turbo"),
            (.kenburns, "kenburns"), (.runway, "no-such-model"),
        ])
        #expect(prices.dollarsPerCredit == 0.01)
        #expect(
            prices.models == [
                .init(provider: "kenburns", model: "kenburns", creditsPerSecond: 0),
                .init(provider: "runway", model: "gen4_turbo", creditsPerSecond: 5),
                .init(provider: "runway", model: "veo3.1", creditsPerSecond: 20, creditsPerSecondWithAudio: 40),
            ])
    }

    // MARK: - The file

    @Test func aPlanRoundTripsAndEncodesTheSameBytesEveryTime() throws {
        let data = try Self.plan().encoded()
        #expect(try SavedPlan.load(data, file: "plan.json") == Self.plan())
        #expect(try Self.plan().encoded() == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"format\" : \"runner-saved-plan\""))
        #expect(text.contains("\"key\" : null"), "an unknown key is written as null")
    }

    @Test func aPlanOfTenThousandClipsIsWellUnderTheCap() throws {
        var plan = Self.plan()
        let clips = try Self.index(plan, "clips")
        plan.stages[clips].items = (0..<10_000).map { index in
            .init(
                item: "frame_\(index).jpg", key: String(repeating: "a", count: 60) + String(format: "%04d", index),
                action: .create,
                location: "s3://my-media/video-clips/alice/frame_\(index)-aaaaaaaa.mp4", credits: 25)
        }
        #expect(try plan.encoded().count < SavedPlan.maximumBytes / 4)
    }

    /// The plan's JSON with `edit` applied to its object.
    static func hostile(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: try plan().encoded()) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// Edits the first item of stage `index` of a plan object.
    static func editItem(_ object: inout [String: Any], stage index: Int, _ edit: (inout [String: Any]) -> Void) {
        guard var stages = object["stages"] as? [[String: Any]], var items = stages[index]["items"] as? [[String: Any]]
        else { return }
        edit(&items[0])
        stages[index]["items"] = items
        object["stages"] = stages
    }

    static func loadError(_ data: Data) -> String? {
        do {
            _ = try SavedPlan.load(data, file: "plan.json")
            return nil
        } catch {
            return error.description
        }
    }

    static let again = "; make the plan again with `runner plan MANIFEST --out FILE`"

    @Test func anotherKindOfFileIsNamedAsSuch() throws {
        #expect(
            Self.loadError(Data("{\"format\": \"terraform\"".utf8))
                == "plan.json is not a saved plan: it is not valid JSON (it may be cut short)" + Self.again)
        #expect(
            Self.loadError(Data("[1, 2]".utf8))
                == "plan.json is not a saved plan: it has no `format` field saying \"runner-saved-plan\"" + Self.again)
        #expect(
            Self.loadError(try Self.hostile { $0["format"] = "terraform-plan\u{1B}[31m" })
                == "plan.json is not a saved plan: its `format` is \"terraform-plan\\u{1B}[31m\", not \"runner-saved-plan\""
                + Self.again)
        #expect(
            Self.loadError(try Self.hostile { $0["format"] = 7 })
                == "plan.json is not a saved plan: it has no `format` field saying \"runner-saved-plan\"" + Self.again)
    }

    @Test func anotherVersionIsRefusedNamingTheRunnerThatMadeIt() throws {
        #expect(
            Self.loadError(
                try Self.hostile {
                    $0["version"] = 2
                    $0["runnerVersion"] = "0.9.0"
                })
                == "plan.json is a saved plan of format version 2, made by runner 0.9.0; this runner reads version 1 only: "
                + "apply it with the runner that made it, or make the plan again with `runner plan MANIFEST --out FILE`"
        )
        #expect(
            Self.loadError(try Self.hostile { $0["version"] = "1" })
                == "plan.json cannot be used as a saved plan: `version` is missing or not an integer" + Self.again)
    }

    @Test func anOversizedFileIsNotRead() {
        let data = Data(count: SavedPlan.maximumBytes + 1)
        #expect(
            Self.loadError(data)
                == "plan.json is \(SavedPlan.maximumBytes + 1) bytes, more than the \(SavedPlan.maximumBytes) "
                + "a saved plan may have: it is not a plan `runner plan --out` wrote" + Self.again)
    }

    @Test(arguments: [
        ("a credit as text", "`stages[1].items[0].credits` has the wrong type (a number expected)"),
        ("negative credits", "`stages[1].items[0].credits` is negative"),
        ("an unknown field", "`stages[1].items[0].link` is not a field of a saved plan (version 1)"),
        ("a missing field", "`totals.credits` is missing"),
        ("a bad key", "`stages[1].items[0].key` is not a SHA-256 (64 lower-case hex digits)"),
        ("a missing key", "`stages[1].items[0].key` is missing"),
        (
            "a bad action",
            "`stages[1].items[0].action` is \"delete\", not one of "
                + "create, regenerate, cached, resume, failed, refused, unusable, skipped"
        ),
        ("control characters", "`stages[1].items[0].item` holds control characters"),
        ("a link", "`stages[1].items[0].location` is not an s3:// URL or a path (a saved plan holds no links)"),
        (
            "a task id with a slash",
            "`stages[1].items[2].taskID` is not a task id (1 to 128 letters, digits, `-`, `_`, `.` or `:`)"
        ),
        ("a resume without a task", "`stages[1].items[2].taskID` is missing: a `resume` names the task it polls"),
        ("an item twice", "`stages[1].items` names the item \"frame_01.jpg\" twice"),
        (
            "a bad frame digest",
            "`stages[0].frames[0].digest` is not a frame digest (sha256:HEX, md5:HEX, etag:TEXT or size:N)"
        ),
        (
            "a bad value reference",
            "`manifest.values[0].reference` is not `vars.NAME` or `env:NAME` (letters, digits and `_`; `.` and `-` in a variable's)"
        ),
        ("stages as an object", "`stages` has the wrong type (an array expected)"),
    ])
    func aHostileFieldIsNamed(_ hostile: String, _ expected: String) throws {
        let data = try Self.hostile { object in
            switch hostile {
            case "a credit as text": Self.editItem(&object, stage: 1) { $0["credits"] = "25" }
            case "negative credits": Self.editItem(&object, stage: 1) { $0["credits"] = -1 }
            case "an unknown field":
                Self.editItem(&object, stage: 1) { $0["link"] = "https://example.com/x?X-Amz-Signature=1" }
            case "a missing field":
                var totals = object["totals"] as? [String: Any] ?? [:]
                totals["credits"] = nil
                object["totals"] = totals
            case "a bad key": Self.editItem(&object, stage: 1) { $0["key"] = "../../etc" }
            case "a missing key": Self.editItem(&object, stage: 1) { $0["key"] = nil }
            case "a bad action": Self.editItem(&object, stage: 1) { $0["action"] = "delete" }
            case "control characters": Self.editItem(&object, stage: 1) { $0["item"] = "frame\u{202E}gpj.exe" }
            case "a link":
                Self.editItem(&object, stage: 1) {
                    $0["location"] = "https://media.s3.amazonaws.com/x.mp4?X-Amz-Signature=1"
                }
            case "a task id with a slash", "a resume without a task":
                guard var stages = object["stages"] as? [[String: Any]],
                    var items = stages[1]["items"] as? [[String: Any]]
                else { return }
                items[2]["taskID"] = hostile == "a resume without a task" ? nil : "../../v1/organization"
                stages[1]["items"] = items
                object["stages"] = stages
            case "an item twice":
                guard var stages = object["stages"] as? [[String: Any]],
                    var items = stages[1]["items"] as? [[String: Any]]
                else { return }
                items[1]["item"] = "frame_01.jpg"
                stages[1]["items"] = items
                object["stages"] = stages
            case "a bad frame digest":
                guard var stages = object["stages"] as? [[String: Any]],
                    var frames = stages[0]["frames"] as? [[String: Any]]
                else { return }
                frames[0]["digest"] = "crc32:1234"
                stages[0]["frames"] = frames
                object["stages"] = stages
            case "a bad value reference":
                guard var manifest = object["manifest"] as? [String: Any],
                    var values = manifest["values"] as? [[String: Any]]
                else { return }
                values[0]["reference"] = "env:$(whoami)"
                manifest["values"] = values
                object["manifest"] = manifest
            case "stages as an object": object["stages"] = ["clips": [String: Any]()]
            default: Issue.record("no such case: \(hostile)")
            }
        }
        #expect(
            Self.loadError(data) == "plan.json cannot be used as a saved plan: \(expected)" + Self.again, "\(hostile)")
    }

    @Test func applyOfASavedPlanCommitsNoMoreThanItApproved() {
        var plan = ExecutionPlan()
        #expect(plan.creditLimit(budget: nil) == nil && plan.creditLimit(budget: 80) == 80)
        plan.approvedCredits = 50
        #expect(
            plan.creditLimit(budget: nil) == 50 && plan.creditLimit(budget: 80) == 50
                && plan.creditLimit(budget: 30) == 30)
        #expect(
            plan.creditLimitReached(at: "frame_03.jpg", budget: 80).hasPrefix(
                "the saved plan approved 50 credits, reached at frame_03.jpg"))
        #expect(
            plan.creditLimitReached(at: "frame_03.jpg", budget: 30).hasPrefix(
                "budget.maxCredits (30) reached at frame_03.jpg"))
    }

    @Test func aPlanThatCouldNotBeReadBackIsNotWritten() {
        var plan = Self.plan()
        plan.stages[1].items[0].item = "frame\n01.jpg"
        #expect(throws: SavedPlanError.self) { try plan.encoded(file: "plan.json") }
    }

    // MARK: - The schema

    /// docs/saved-plan.schema.json accepts what the runner writes and refuses what the loader refuses, by an independent
    /// validator (Python's `jsonschema`, as for the run record's schema).
    @Test func theSchemaAcceptsAWrittenPlanAndRefusesHostileOnes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var everyField = Self.plan()
        everyField.options.retryFailed = true
        everyField.prices.models.append(
            .init(provider: "runway", model: "veo3.1", creditsPerSecond: 20, creditsPerSecondWithAudio: 40))
        everyField.stages[0].items.append(
            .init(item: "bad..name.jpg", key: nil, action: .refused, reason: "its name has a `..` segment"))
        everyField.stages[0].frames?.append(.init(name: "frame_09.jpg", digest: "size:1234"))
        let written = folder.appendingPathComponent("plan.json")
        try everyField.encoded().write(to: written)
        var files = [written.path]
        let hostile: [Data] = [
            try Self.hostile { $0["format"] = "terraform" },
            try Self.hostile { $0["version"] = 2 },
            try Self.hostile { object in Self.editItem(&object, stage: 1) { $0["link"] = "https://example.com/x" } },
            try Self.hostile { object in Self.editItem(&object, stage: 1) { $0["key"] = "../../etc" } },
            try Self.hostile { object in Self.editItem(&object, stage: 1) { $0["credits"] = -1 } },
            try Self.hostile { object in Self.editItem(&object, stage: 1) { $0["location"] = "https://example.com/x" }
            },
            try Self.hostile { object in Self.editItem(&object, stage: 1) { $0["item"] = "a\u{1B}b" } },
        ]
        for (index, data) in hostile.enumerated() {
            #expect(Self.loadError(data) != nil)
            let file = folder.appendingPathComponent("hostile-\(index).json")
            try data.write(to: file)
            files.append(file.path)
        }
        let schema = PackagePaths.root.appendingPathComponent("docs/saved-plan.schema.json").path
        let checker = PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path
        let check = try run(try Scratch.which("python3"), [checker, schema] + files)
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ok \(written.path)", "\(check.stdout)\(check.stderr)")
        #expect(
            lines.dropFirst().allSatisfy { $0.hasPrefix("invalid ") } && lines.count == files.count,
            "\(check.stdout)\(check.stderr)")
    }
}
