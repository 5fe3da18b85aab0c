import Foundation
import Manifest
import Runway
import Synchronization
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A prompt image as a data URI: one of the example frames.
let promptImage: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let data = (try? Data(contentsOf: root.appendingPathComponent("examples/frames/frame_01_dawn.jpg"))) ?? Data()
    return "data:image/jpeg;base64," + data.base64EncodedString()
}()

func generation(_ prompt: String = "Slow push-in") -> ImageToVideoRequest {
    ImageToVideoRequest(
        model: "gen4_turbo", promptImage: promptImage, ratio: Ratio(width: 1280, height: 720), duration: 5,
        promptText: prompt, seed: 7)
}

@Suite struct RunwayClientTests {
    @Test func generationSucceedsAndItsClipIsAVideo() async throws {
        let tenant = try await DoubleTenant.make(["generationSeconds": 0.5])
        let client = tenant.client(pollInterval: .milliseconds(100))
        let started = ContinuousClock.now
        let submission = try await client.submit(generation())
        #expect(submission.estimatedCredits == 25)
        #expect(submission.ambiguousRetries == 0)
        let task = try await client.waitForTask(submission.id)
        let elapsed = ContinuousClock.now - started
        #expect(task.status == .succeeded)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runway-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        try await client.downloadOutput(of: task, to: file)
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect((size ?? 0) > 1000)
        let stats = try await tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 1)
        // Polls at most ceil(generation time / interval) + 2 with nothing throttled, and 3 more near the end, when the
        // task's progress says it ends before the next regular poll (a quarter interval apart at the closest); the
        // generation time is what the double took (its first render of a clip adds to the configured 0.55 s).
        let polls = try #require((stats["polls"] as? [String: Int])?[submission.id])
        let bound = Int((DurationText.seconds(elapsed) / 0.1).rounded(.up)) + 2 + 3
        #expect(polls <= bound, "\(polls) polls in \(elapsed)")
    }

    @Test func throttledTaskStartsByItselfAndSucceeds() async throws {
        // The first task holds the only slot until the test lets it go, so the second is THROTTLED
        // whatever the machine's load does to the timing.
        let tenant = try await DoubleTenant.make(["concurrencyLimit": 1, "generationSeconds": 120])
        let client = tenant.client()
        let first = try await client.submit(generation("first"))
        let second = try await client.submit(generation("second"))
        #expect(try await client.task(second.id).status == .throttled)
        try await tenant.configure(["generationSeconds": 0.3])
        try await client.cancel(first.id)
        let seen = StatusLog()
        let secondTask = try await client.waitForTask(second.id) { seen.append($0.status) }
        #expect(secondTask.status == .succeeded)
        let perTask = try #require(try await tenant.stats()["tasks"] as? [String: [String: Any]])
        #expect(perTask[second.id]?["everThrottled"] as? Bool == true)
        // The client reported exactly what its polls returned (the double records them, repeats collapsed).
        let recorded = try #require(perTask[second.id]?["statusesSeen"] as? [String])
        var collapsed = ["THROTTLED"]
        for status in seen.all.map(\.rawValue) where collapsed.last != status { collapsed.append(status) }
        #expect(collapsed == recorded)
    }

    @Test func dailyLimitThenSuccessIsRetried() async throws {
        let tenant = try await DoubleTenant.make(["failNextPosts": [429]])
        let submission = try await tenant.client().submit(generation())
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 1)
        #expect(submission.ambiguousRetries == 0)
    }

    @Test func loadSheddingIsRetried() async throws {
        let tenant = try await DoubleTenant.make(["failNextPosts": [502, 503, 504], "failNextGets": [503]])
        let client = tenant.client()
        let submission = try await client.submit(generation())
        let task = try await client.waitForTask(submission.id)
        #expect(task.status == .succeeded)
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 1)
    }

    @Test func badRequestIsNotRetriedAndShowsTheAPIsMessage() async throws {
        let tenant = try await DoubleTenant.make()
        var request = generation()
        request.promptImage = "data:image/png;base64," + Data("not an image".utf8).base64EncodedString()
        await #expect {
            _ = try await tenant.client().submit(request)
        } throws: { error in
            guard case .badRequest(let message)? = error as? RunwayError else { return false }
            return !message.isEmpty && message != "no message"
        }
        let stats = try await tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 0)
        #expect((stats["rejected"] as? [String: Int])?["400"] == 1)
    }

    @Test func requestTheModelCannotTakeIsRefusedBeforeAnyPaidCall() async throws {
        let tenant = try await DoubleTenant.make()
        var request = generation()
        request.ratio = Ratio(width: 1280, height: 768)
        await #expect(throws: RunwayError.self) { _ = try await tenant.client().submit(request) }
        let stats = try await tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 0)
        #expect((stats["rejected"] as? [String: Int] ?? [:]).isEmpty, "the request reached the API: \(stats)")
    }

    @Test func moderationFailureIsFinal() async throws {
        let tenant = try await DoubleTenant.make(["failTasks": ["code": "SAFETY.INPUT.TEXT", "count": 1]])
        let client = tenant.client()
        let submission = try await client.submit(generation())
        do {
            _ = try await client.waitForTask(submission.id)
            Issue.record("a moderated task succeeded")
        } catch {
            guard case .taskFailed(_, let code, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code == "SAFETY.INPUT.TEXT")
            #expect(!error.isRetryable)
        }
    }

    @Test func qualityRejectionIsRetryableAsANewTask() async throws {
        let tenant = try await DoubleTenant.make(["failTasks": ["code": "INTERNAL.BAD_OUTPUT.CODE01", "count": 1]])
        let client = tenant.client()
        let first = try await client.submit(generation())
        do {
            _ = try await client.waitForTask(first.id)
            Issue.record("the injected failure did not happen")
        } catch {
            #expect(error.isRetryable)
            let retry = try await client.submit(generation())
            #expect(try await client.waitForTask(retry.id).status == .succeeded)
        }
    }

    @Test func cancelledTaskEndsTheWait() async throws {
        let tenant = try await DoubleTenant.make(["generationSeconds": 5])
        let client = tenant.client()
        let submission = try await client.submit(generation())
        try await client.cancel(submission.id)
        await #expect(throws: RunwayError.taskCancelled(id: submission.id)) {
            _ = try await client.waitForTask(submission.id)
        }
    }

    @Test func anExpiredOutputLinkIsRefreshedByReadingTheTaskNotByANewTask() async throws {
        // The link the wait ends with is already dead (403): a new read of the task (free) gives a working one.
        let tenant = try await DoubleTenant.make(["expireNextOutputLinks": 1])
        let client = tenant.client()
        let task = try await client.waitForTask(try await client.submit(generation()).id)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runway-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        let refreshes = Mutex(0)
        try await client.downloadOutput(of: task, to: file) { refreshes.withLock { $0 += 1 } }
        #expect(refreshes.withLock { $0 } == 1)
        #expect(FileManager.default.fileExists(atPath: file.path))
        let stats = try await tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 1, "a refresh must never pay for a new task")
        #expect(stats["outputsRefused"] as? Int == 1 && stats["outputsServed"] as? Int == 1, "\(stats)")
    }

    @Test func linksThatKeepExpiringFailWithoutANewTaskAndSaySo() async throws {
        let tenant = try await DoubleTenant.make(["expireNextOutputLinks": 10])
        let client = tenant.client()
        let task = try await client.waitForTask(try await client.submit(generation()).id)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runway-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try await client.downloadOutput(of: task, to: file)
            Issue.record("a download from dead links succeeded")
        } catch {
            #expect(error.description.contains("expired"), "\(error)")
            // Not retryable: a retry would be a new, paid task for a clip that exists.
            #expect(!error.isRetryable)
        }
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 1)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func truncatedOutputIsARetryableFailure() async throws {
        let tenant = try await DoubleTenant.make(["truncateNextOutputs": 1])
        let client = tenant.client()
        let task = try await client.waitForTask(try await client.submit(generation()).id)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runway-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect {
            try await client.downloadOutput(of: task, to: file)
        } throws: { error in
            guard let error = error as? RunwayError, case .badOutput = error else { return false }
            return error.isRetryable
        }
        // Nothing that could pass for a finished clip is left behind, not even the temporary file.
        #expect(!FileManager.default.fileExists(atPath: file.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
            .filter { $0.contains(file.lastPathComponent) }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func postWhoseAnswerNeverArrivedIsCountedAsAmbiguous() async throws {
        let tenant = try await DoubleTenant.make(["dropNextPostResponse": 1])
        let submission = try await tenant.client().submit(generation())
        #expect(submission.ambiguousRetries == 1)
        // The hazard the count reports: the lost answer's task exists too, and was paid for.
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 2)
    }

    @Test func refusedKeyNamesItsVariableNotItsValue() async throws {
        let tenant = try await DoubleTenant.make()
        let wrongKey = "sk-wrong-\(UUID().uuidString)"
        do {
            _ = try await tenant.client(key: wrongKey).submit(generation())
            Issue.record("a wrong key was accepted")
        } catch {
            #expect(error == .unauthorized(keySource: "${env:RUNWAYML_API_SECRET}"))
            #expect(!error.description.contains(wrongKey))
            #expect(error.description.contains("RUNWAYML_API_SECRET"))
        }
    }

    @Test func unknownTaskStatusIsNamed() async throws {
        let tenant = try await DoubleTenant.make()
        await #expect(throws: RunwayError.taskNotFound(id: "00000000-0000-0000-0000-000000000000")) {
            _ = try await tenant.client().task("00000000-0000-0000-0000-000000000000")
        }
    }
}

/// Statuses seen by an observer, from whichever task polls them.
final class StatusLog: Sendable {
    private let statuses = Mutex<[RunwayTask.Status]>([])

    func append(_ status: RunwayTask.Status) { statuses.withLock { $0.append(status) } }
    var all: [RunwayTask.Status] { statuses.withLock { $0 } }
}

@Suite struct ImageToVideoRequestTests {
    @Test func bodyIsTheJSONTheAPIDocuments() throws {
        let request = ImageToVideoRequest(
            model: "gen4_turbo", promptImage: "data:image/png;base64,AAAA", ratio: Ratio(width: 960, height: 960),
            duration: 10, promptText: "a \"quoted\" prompt\nwith a line", seed: 42)
        let body = try #require(try JSONSerialization.jsonObject(with: request.jsonBody()) as? [String: Any])
        #expect(body["model"] as? String == "gen4_turbo")
        #expect(body["promptImage"] as? String == "data:image/png;base64,AAAA")
        #expect(body["ratio"] as? String == "960:960")
        #expect(body["duration"] as? Int == 10)
        #expect(body["promptText"] as? String == "a \"quoted\" prompt\nwith a line")
        #expect(body["seed"] as? Int == 42)
        #expect(body.count == 6)
    }

    @Test func imageLinkThatNeedsEscapingStaysValidJSON() throws {
        let request = ImageToVideoRequest(
            model: "gen4_turbo", promptImage: "https://example.com/a\"b.png", ratio: Ratio(width: 1280, height: 720),
            duration: 5)
        let body = try #require(try JSONSerialization.jsonObject(with: request.jsonBody()) as? [String: Any])
        #expect(body["promptImage"] as? String == "https://example.com/a\"b.png")
        #expect(body["promptText"] == nil)
    }
}

@Suite struct RunwayRetryBudgetTests {
    @Test func loadSheddingBeyondTheAttemptsIsReportedNotRetriedForever() async throws {
        let tenant = try await DoubleTenant.make(["failNextPosts": [503, 503, 503, 503, 503, 503]])
        await #expect(throws: RunwayError.unavailable(status: 503, attempts: 4)) {
            _ = try await tenant.client().submit(generation())
        }
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0)
    }
}
