import Foundation
import TestSupport
import Testing

/// A paid task's `submitted` record is written beside its first polls, not before them (issue #20's bench: one S3 PUT
/// under load outlasted one-second tasks, and the account's place idled until it landed), and nothing is lost for it:
/// the clip's later record waits for it, and a run interrupted while it is on its way waits for it too. The state is
/// on S3 behind a proxy that holds each record's PUT for `hold` seconds.
@Suite(.serialized)
struct SubmittedRecordTests {
    static let hold = 3.0

    /// Two frames on S3, Runway clips, the state on S3 behind a proxy that holds the clips' records.
    static func setup(generationSeconds: Double) async throws -> (PipelineProject, Cloud, SlowPutProxy) {
        var project = try PipelineProject.make(frames: 2)
        let cloud = try await Cloud.make(for: &project, runway: ["generationSeconds": generationSeconds])
        let proxy = try SlowPutProxy(upstream: try Moto.endpoint(), marker: "/state/records/clips/", seconds: hold)
        project.environment["AWS_ENDPOINT_URL"] = proxy.endpoint.absoluteString
        try project.write(
            manifest: Manifests.runway(
                bucket: cloud.bucket, name: "records", state: "s3://\(cloud.bucket)/state/", concurrency: 2))
        return (project, cloud, proxy)
    }

    @Test(.timeLimit(.minutes(5)))
    func tasksArePolledWhileTheirRecordIsOnItsWayAndTheClipsRecordLandsLast() async throws {
        let (project, cloud, proxy) = try await Self.setup(generationSeconds: 0.3)
        defer {
            proxy.stop()
            project.remove()
        }
        let applied = try await project.apply(tag: "slow-state")
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")

        // Each task was seen finished sooner than its record's PUT could have gone on (held `hold` seconds from
        // after the task was created): its polls did not wait for the record.
        let tasks = try #require(try await cloud.tenant.stats()["tasks"] as? [String: [String: Any]])
        #expect(tasks.count == 2)
        for (id, task) in tasks {
            let times = try #require(task["times"] as? [String: Any])
            let created = try #require(times["created"] as? Double)
            let seen = try #require(times["seenFinished"] as? Double, "task \(id) was never seen finished")
            #expect(seen - created < Self.hold, "task \(id) was first seen finished \(seen - created) s after creation")
        }
        // Each record was put twice, `submitted` then `succeeded`, and the last one stands.
        let held = proxy.held
        #expect(held.count == 4, "\(held)")
        #expect(Set(held).count == 2, "\(held)")
        let records = try await cloud.s3Records(pipeline: "records")
        #expect(records.count == 2 && records.allSatisfy { $0.state == "succeeded" }, "\(records)")
        #expect(Set(records.compactMap(\.taskID)) == Set(tasks.keys))
    }

    @Test(.timeLimit(.minutes(5)))
    func aRunInterruptedWhileARecordIsOnItsWayWaitsForItAndTheNextRunResumesTheTask() async throws {
        let (project, cloud, proxy) = try await Self.setup(generationSeconds: 8)
        defer {
            proxy.stop()
            project.remove()
        }
        let run = try project.startApply(tag: "interrupted")
        let submitted = try await eventually(limit: .seconds(60)) {
            run.events().contains { $0["kind"] as? String == "itemSubmitted" }
        }
        try #require(submitted, "no task was submitted: \(run.finishIfExited())")
        // Interrupted the moment the task exists: its record is still held by the proxy.
        let output = try await run.interrupt()
        #expect(output.status == 130, "exit status \(output.status): \(output.stderr)")

        // Every task the double made has its record in the state (the run waited for them), so another machine,
        // without this one's journal, resumes them and pays for nothing twice.
        let created = try await cloud.taskIDs()
        let records = try await cloud.s3Records(pipeline: "records")
        #expect(!created.isEmpty)
        #expect(created.isSubset(of: Set(records.compactMap(\.taskID))), "tasks: \(created); records: \(records)")
        try? FileManager.default.removeItem(at: project.folder.appendingPathComponent(".runner/journal"))
        let rerun = try await project.apply(tag: "rerun")
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(try await cloud.tasksCreated() == 2, "a task was paid for again")
        #expect(try await cloud.taskIDs().isSuperset(of: created))
    }
}
