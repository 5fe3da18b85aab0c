import Foundation
import Manifest
import Stages
import Storage
import TestSupport
import Testing

@testable import Runner

/// State is checked, not trusted (issue #12, docs/security.md): a record counts only for the runner's own output
/// location with the recorded size and SHA-256, and a record that cannot be used names its file and what to do.
@Suite(.serialized)
struct StateTrustTests {
    /// A project applied once: its clips, its film and their records exist.
    static func applied(frames: Int = 2) throws -> PipelineProject {
        let project = try PipelineProject.make(frames: frames)
        try project.write(manifest: Manifests.local())
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        return project
    }

    /// The relative paths of the records of `stage`.
    static func records(_ project: PipelineProject, stage: String) -> [String] {
        project.files(under: ".runner/state").keys.filter { $0.contains("/\(stage)/") && $0.hasSuffix(".json") }
            .sorted()
    }

    /// Edits the JSON record at `relative`.
    static func edit(_ project: PipelineProject, _ relative: String, _ change: (inout [String: Any]) -> Void) throws {
        let url = URL(fileURLWithPath: project.path(relative))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    /// Overwrites a file with other bytes of the same length.
    static func scramble(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try Data(data.map { $0 ^ 0x5A }).write(to: URL(fileURLWithPath: path))
    }

    @Test func aClipRecordPointingAtAnotherFileIsMadeAgainAndThatFileIsNeverUsed() throws {
        let project = try Self.applied()
        defer { project.remove() }
        let decoy = project.path("decoy.mp4")
        let clips = project.files(under: "out/clips").keys.sorted()
        try FileManager.default.copyItem(atPath: project.path(clips[0]), toPath: decoy)
        let record = try #require(
            Self.records(project, stage: "clips").first {
                (try? String(contentsOfFile: project.path($0), encoding: .utf8))?
                    .contains((clips[0] as NSString).lastPathComponent) == true
            })
        try Self.edit(project, record) { object in
            var output = object["output"] as? [String: Any] ?? [:]
            output["location"] = decoy
            object["output"] = output
        }
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        let item = try #require(plan.items(of: "clips").first { $0.item == "frame_01.png" })
        #expect(item.action == "regenerate", "a record naming another file was believed: \(item)")
        #expect(item.reason == "its record names an output other than the runner's own location for it")
        let text = try project.runner("plan", project.manifest)
        #expect(!text.stdout.contains("decoy"), "the forged location is printed: \(text.stdout)")
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("clips generated  1"))
        #expect(!(try String(contentsOfFile: project.path(record), encoding: .utf8)).contains("decoy"))
    }

    @Test func aClipChangedAfterItWasMadeIsNotMergedAndTheMessageSaysWhatToDo() throws {
        let project = try Self.applied()
        defer { project.remove() }
        let clip = try #require(project.files(under: "out/clips").keys.sorted().first)
        try Self.scramble(project.path(clip))
        // The film must be merged again for the clip to be read: remove it and the published video.
        for film in project.files(under: ".runner/state").keys where film.hasSuffix(".mp4") {
            try FileManager.default.removeItem(atPath: project.path(film))
        }
        try FileManager.default.removeItem(atPath: project.path("out/film.mp4"))
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status != 0, "a changed clip was merged: \(apply.stdout)")
        let output = apply.stdout + apply.stderr
        #expect(output.contains("\(project.path(clip)) is not what its checkpoint record describes"), "\(output)")
        #expect(output.contains("delete it, and the next apply makes it again"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: project.path("out/film.mp4")))
        // Doing what it says works.
        try FileManager.default.removeItem(atPath: project.path(clip))
        let again = try project.runner("apply", project.manifest)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try ProbedVideo.decodesCleanly(project.path("out/film.mp4")))
    }

    @Test func aCachedFilmWithOtherBytesIsMergedAgainNotPublished() throws {
        let project = try Self.applied()
        defer { project.remove() }
        let film = try #require(project.files(under: ".runner/state").keys.first { $0.hasSuffix(".mp4") })
        try Self.scramble(project.path(film))
        let scrambled = try Data(contentsOf: URL(fileURLWithPath: project.path(film)))
        try FileManager.default.removeItem(atPath: project.path("out/film.mp4"))
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        let merge = try #require(plan.items(of: "film").first)
        #expect(merge.action == "regenerate", "\(merge)")
        #expect(merge.reason?.hasSuffix("does not have the SHA-256 its record gives") == true, "\(merge.reason ?? "")")
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let published = try Data(contentsOf: URL(fileURLWithPath: project.path("out/film.mp4")))
        #expect(published != scrambled, "the scrambled film was published")
        #expect(try ProbedVideo.decodesCleanly(project.path("out/film.mp4")))
    }

    // MARK: - Records that cannot be used

    /// A state folder with one record of stage `clips`, written as `text`, under its key.
    static func state(with text: String, key: String = String(repeating: "ab", count: 32)) async throws -> (
        CheckpointStore, URL
    ) {
        let folder = try temporaryFolder()
        let checkpoints = try await CheckpointStore.open(
            state: .local(path: folder.path + "/"), pipeline: "p", stores: StoreCache(settings: S3Settings()))
        let file = folder.appendingPathComponent("p/clips/\(key).json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return (checkpoints, file)
    }

    static let validRecord: String = {
        let record = CheckpointRecord(
            pipeline: "p", stage: "clips", key: String(repeating: "ab", count: 32), item: "frame_01.png",
            state: .submitted, inputs: ["kind": "clip-v1"], provider: "runway", taskID: "0f3c-task",
            credits: 25, updated: Date(timeIntervalSince1970: 1_000_000))
        return String(decoding: (try? StoredDates.recordEncoder.encode(record)) ?? Data(), as: UTF8.self)
    }()

    @Test(arguments: [
        ("truncated", String(validRecord.prefix(validRecord.count / 2)), "it is not valid JSON (it may be truncated)"),
        (
            "a field of the wrong type",
            validRecord.replacingOccurrences(of: "\"credits\" : 25", with: "\"credits\" : \"lots\""),
            "`credits` has the wrong type"
        ),
        (
            "a missing field", validRecord.replacingOccurrences(of: "\"item\" : \"frame_01.png\",", with: ""),
            "it lacks the field `item`"
        ),
        (
            "a task id with control characters",
            validRecord.replacingOccurrences(of: "0f3c-task", with: "0f3c\\u001b[2J"),
            "its `taskID` is not a task id"
        ),
        (
            "a task id that changes a request path",
            validRecord.replacingOccurrences(of: "0f3c-task", with: "../../v1/organization"),
            "its `taskID` is not a task id"
        ),
        (
            "another item's key",
            validRecord.replacingOccurrences(
                of: String(repeating: "ab", count: 32), with: String(repeating: "cd", count: 32)),
            "its `key` is not the one its file is named by"
        ),
        (
            "a date that is not one", validRecord.replacingOccurrences(of: "1970-01-12", with: "yesterday"),
            "`updated` is not valid"
        ),
    ])
    func anUnusableRecordNamesItsFileAndWhatToDo(kind: String, text: String, reason: String) async throws {
        #expect(text != Self.validRecord, "\(kind): the test did not change the record")
        let (checkpoints, file) = try await Self.state(with: text)
        defer {
            try? FileManager.default.removeItem(
                at: file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        }
        for read in ["records", "record"] {
            do {
                if read == "records" {
                    _ = try await checkpoints.records(of: "clips")
                } else {
                    _ = try await checkpoints.record(stage: "clips", key: String(repeating: "ab", count: 32))
                }
                Issue.record("\(kind): \(read) accepted the record")
            } catch {
                let message = "\(error)"
                #expect(
                    message.hasPrefix("the checkpoint record \(file.path) cannot be used: \(reason)"),
                    "\(kind), \(read): \(message)")
                #expect(
                    message.hasSuffix(". Delete it to make that item again, or restore it"),
                    "\(kind), \(read): \(message)")
                #expect(
                    !message.contains("DecodingError") && !message.contains("dataCorrupted")
                        && !message.contains("\u{1B}"))
            }
        }
    }

    @Test func aValidRecordIsRead() async throws {
        let (checkpoints, file) = try await Self.state(with: Self.validRecord)
        defer {
            try? FileManager.default.removeItem(
                at: file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        }
        let records = try await checkpoints.records(of: "clips")
        #expect(records.values.first?.taskID == "0f3c-task")
    }

    @Test func aJournalLineWhoseTaskIDIsNotOneIsIgnored() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = SubmissionJournal(directory: folder.path, pipeline: "p")
        journal.append(.init(stage: "clips", key: "k1", taskID: "good-task-1", credits: 25))
        journal.append(.init(stage: "clips", key: "k2", taskID: "../../v1/organization", credits: 25))
        journal.append(.init(stage: "clips", key: "k3", taskID: "x\u{1B}[2J", credits: 25))
        #expect(Set(journal.entries().keys) == ["clips/k1"])
    }

    @Test func theJournalIsNotWrittenThroughASymbolicLink() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outside = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createDirectory(
            atPath: folder.path + "/.runner/journal", withIntermediateDirectories: true)
        let target = outside.appendingPathComponent("planted.jsonl")
        try Data().write(to: target)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/.runner/journal/p.jsonl", withDestinationPath: target.path)
        // Even without a boundary (O_NOFOLLOW alone), the link is not followed.
        SubmissionJournal(directory: folder.path, pipeline: "p").append(
            .init(stage: "clips", key: "k1", taskID: "t1", credits: 1))
        #expect(try Data(contentsOf: target).isEmpty, "the journal wrote through a symbolic link")
    }
}

/// The last run record is state too: its link is reused only when it names the same object as a fresh one.
@Suite(.serialized)
struct RunRecordTrustTests {
    @Test func anEditedLinkInTheLastRunRecordIsNotHandedOut() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: RecordTests.manifest(bucket: cloud.bucket))
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let stored = try #require(project.files(under: ".runner/state").keys.first { $0.hasSuffix(".record.json") })
        let url = URL(fileURLWithPath: project.path(stored))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var video = try #require(object["video"] as? [String: Any])
        let genuine = try #require(video["link"] as? String)
        video["link"] = "https://evil.example.com/final/film.mp4?X-Amz-Signature=0"
        object["video"] = video
        try JSONSerialization.data(withJSONObject: object).write(to: url)

        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(!second.stdout.contains("evil.example.com"), "the edited link was handed out: \(second.stdout)")
        let record = try String(contentsOfFile: project.path("out/record.json"), encoding: .utf8)
        #expect(!record.contains("evil.example.com"))
        #expect(record.contains(String(genuine.prefix { $0 != "?" })), "the fresh link names another object")
    }
}
