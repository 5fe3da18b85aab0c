import Foundation
import Manifest
import Runway
import Stages
import Synchronization
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// RunwayGenerator against the Runway double (started by scripts/test.sh), one isolated tenant per test.
@Suite struct RunwayGeneratorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let frame = root.appendingPathComponent("examples/frames/frame_02_fractal.jpg").path

    static func tenant(_ config: [String: Any]) async throws -> DoubleTenant {
        try await DoubleTenant.make(config)
    }

    static func generator(_ tenant: DoubleTenant) -> RunwayGenerator {
        RunwayGenerator(client: tenant.client())
    }

    static func job(resume: String? = nil) -> GenerationJob {
        GenerationJob(
            frame: .file(path: frame), frameName: "frame_02_fractal.jpg", model: "gen4_turbo",
            ratio: Ratio(width: 1280, height: 720), duration: 5, prompt: "Drift into the spiral", seed: 3,
            resumeTaskID: resume)
    }

    @Test func taskIsRecordedBeforeItsFirstPollAndTheClipIsAVideo() async throws {
        // 1.5 s of generation, polled every 50 ms: the polls see it RUNNING even on a loaded machine.
        let tenant = try await Self.tenant(["generationSeconds": 1.5])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: output) }
        let pollsWhenRecorded = Shared<Int?>(nil)
        let run = RecordingRun { taskID, credits in
            let polls = (try await tenant.stats()["polls"] as? [String: Int])?[taskID] ?? 0
            pollsWhenRecorded.withLock { $0 = polls }
            #expect(credits == 25)
        }
        let result = try await Self.generator(tenant).generate(Self.job(), to: output, run: run)
        #expect(pollsWhenRecorded.withLock { $0 } == 0, "the task must be recorded before anything polls it")
        #expect(result.credits == 25)
        #expect(result.taskID != nil)
        // The events are what the polls returned before the end (the double records those, repeats collapsed).
        let taskID = try #require(result.taskID)
        let perTask = try #require(try await tenant.stats()["tasks"] as? [String: [String: Any]])
        let seen = try #require(perTask[taskID]?["statusesSeen"] as? [String]).filter { $0 != "SUCCEEDED" }
        var reported: [String] = []
        let all = run.reported
        for event in all {
            let name: String
            switch event {
            case .status(.pending): name = "PENDING"
            case .status(.throttled): name = "THROTTLED"
            case .status(.running): name = "RUNNING"
            case .status(.merging): name = "MERGING"
            case .providerFinished: continue
            }
            if reported.last != name { reported.append(name) }
        }
        #expect(reported == seen)
        // The provider's part ends once, before the download: its slot is free from then on.
        #expect(all.filter { $0 == .providerFinished }.count == 1 && all.last == .providerFinished)
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    @Test func resumedTaskIsPolledNeverPaidForAgain() async throws {
        let tenant = try await Self.tenant(["generationSeconds": 0.5])
        let generator = Self.generator(tenant)
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: first) }
        // A run that recorded the task and then died: the next run resumes it by id.
        let recorded = Shared<String?>(nil)
        let interrupted = Task {
            try await generator.generate(
                Self.job(), to: first,
                run: RecordingRun { id, _ in
                    recorded.withLock { $0 = id }
                    throw CancellationError()
                })
        }
        _ = try? await interrupted.value
        let taskID = try #require(recorded.withLock { $0 })
        let resumed = try await generator.generate(
            Self.job(resume: taskID), to: first,
            run: RecordingRun { _, _ in
                Issue.record("a resumed task must not be submitted again")
            })
        #expect(resumed.taskID == taskID)
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 1)
    }

    @Test(arguments: [(retries: 2, succeeds: true, tasks: 3), (retries: 1, succeeds: false, tasks: 2)])
    func qualityRejectionIsRetriedAsANewTaskWithinTheBudget(retries: Int, succeeds: Bool, tasks: Int) async throws {
        let tenant = try await Self.tenant(["failTasks": ["code": "INTERNAL.BAD_OUTPUT.CODE01", "count": 2]])
        var job = Self.job()
        job.retries = retries
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: output) }
        let submitted = Shared(0)
        do {
            let result = try await Self.generator(tenant).generate(
                job, to: output,
                run: RecordingRun { _, _ in
                    submitted.withLock { $0 += 1 }
                })
            #expect(succeeds)
            #expect(result.failedAttempts == 2)
            // Runway refunds the failed tasks (their final cost is 0): the clip was charged 25 of an estimated 75.
            #expect(result.credits == 25 && result.estimatedCredits == 75 && result.chargesKnown, "\(result)")
        } catch {
            #expect(!succeeds)
            guard case .taskFailed(_, let code, _)? = error as? RunwayError else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code == "INTERNAL.BAD_OUTPUT.CODE01")
        }
        #expect(submitted.withLock { $0 } == tasks)
        #expect(try await tenant.stats()["tasksCreated"] as? Int == tasks)
    }

    @Test func moderationFailureIsNotRetried() async throws {
        let tenant = try await Self.tenant(["failTasks": ["code": "SAFETY.INPUT.IMAGE", "count": 1]])
        var job = Self.job()
        job.retries = 3
        await #expect(throws: RunwayError.self) {
            _ = try await Self.generator(tenant).generate(
                job, to: URL(fileURLWithPath: "/tmp/never.mp4"), run: RecordingRun())
        }
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 1)
    }

    @Test func frameThatIsNotAnImageIsRefusedBeforeAnyPaidCall() async throws {
        let tenant = try await Self.tenant([:])
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("frame-\(UUID().uuidString).png")
        try Data("not a picture".utf8).write(to: text)
        defer { try? FileManager.default.removeItem(at: text) }
        var job = Self.job()
        job.frame = .file(path: text.path)
        await #expect {
            _ = try await Self.generator(tenant).generate(
                job, to: text.appendingPathExtension("mp4"), run: RecordingRun())
        } throws: { error in
            (error as? RunwayError)?.description.contains(text.path) ?? false
        }
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0)
    }

    @Test func largeFrameGoesThroughAnUpload() async throws {
        let tenant = try await Self.tenant([:])
        // A PNG of noise over 5 MB: too large for a data URI.
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: big) }
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        made.arguments = [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "nullsrc=s=2400x1350,geq=random(1)*255:128:128",
            "-frames:v", "1", big.path,
        ]
        try made.run()
        made.waitUntilExit()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int)
        #expect(
            size * 4 / 3 > PromptImage.maximumDataURILength,
            "the test image must be too large for a data URI (\(size) bytes)")
        var job = Self.job()
        job.frame = .file(path: big.path)
        let output = big.appendingPathExtension("mp4")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try await Self.generator(tenant).generate(job, to: output, run: RecordingRun())
        #expect(try await tenant.stats()["uploads"] as? Int == 1)
    }
}
