import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The runs API: create, follow (Server-Sent Events), cancel, list; runs that survive the server; one account window.
@Suite(.serialized)
struct RunsAPITests {
    @Test func theEventStreamDeliversTheRunsEventsInOrder() async throws {
        let project = try await ServeProject.make(users: ["alice": 3])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let created = try await server.request(
            "POST", "/v1/runs", json: ["user": "alice", "session": "sse", "concurrency": 2])
        #expect(created.status == 201, "\(created.body)")
        let run = try #require(created.json["id"] as? String)
        #expect(created.headers["location"] == "/v1/runs/\(run)")

        let events = try server.events(of: run)
        // Numbered 1, 2, 3... with nothing missing, from runStarted to runFinished, each the JSON of apply's stream.
        #expect(events.map(\.id) == Array(1...events.count))
        #expect(events.first?.kind == "runStarted")
        #expect(events.last?.kind == "runFinished")
        var kinds: [String] = []
        for event in events {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
            #expect(object["kind"] as? String == event.kind)
            #expect(object["time"] as? String != nil)
            kinds.append(event.kind)
        }
        #expect(kinds.filter { $0 == "itemSubmitted" }.count == 3)
        // Each clip's events keep their order: started, submitted, succeeded.
        for frame in ["frame_1.png", "frame_2.png", "frame_3.png"] {
            let own = events.compactMap { event -> String? in
                let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                guard object?["item"] as? String == frame, object?["stage"] as? String == "clips" else { return nil }
                return event.kind
            }
            #expect(own.first == "itemStarted", "\(frame): \(own)")
            #expect(own.last == "itemSucceeded", "\(frame): \(own)")
            #expect(own.firstIndex(of: "itemSubmitted") ?? 99 < own.firstIndex(of: "itemSucceeded") ?? -1)
        }
        // Read again once the run is over, from the database, and from the middle (Last-Event-ID).
        let done = try await server.finished(run)
        #expect(done.json["status"] as? String == "succeeded", "\(done.body)")
        #expect(done.json["events"] as? Int == events.count)
        #expect(try server.events(of: run).map(\.data) == events.map(\.data))
        #expect(try server.events(of: run, after: 4).map(\.id) == Array(5...events.count))
        // The run's detail: its plan and summary, and the clips made.
        let plan = try #require(done.json["plan"] as? [String: Any])
        #expect(plan["session"] as? String == "sse")
        let summary = try #require(done.json["summary"] as? [String: Any])
        #expect(summary["outcome"] as? String == "succeeded")
        let progress = try #require(done.json["progress"] as? [String: Any])
        let clips = try #require(progress["clips"] as? [[String: Any]])
        #expect(clips.count == 3)
        #expect((progress["film"] as? [String: Any])?["location"] as? String != nil)
        // Each clip has a signed link a browser can load (the page shows clips as they land): it serves an MP4.
        for clip in clips {
            let link = try #require(clip["url"] as? String, "\(clip)")
            let url = try #require(URL(string: link))
            #expect(url.scheme == "http" || url.scheme == "https", "\(link)")
            let (bytes, _) = try await URLSession.shared.data(from: url)
            #expect(bytes.count > 1000 && String(decoding: bytes[4..<8], as: UTF8.self) == "ftyp", "\(link)")
        }
        // A list of runs signs nothing.
        let listed = try await server.request("GET", "/v1/runs?user=alice")
        let views = try #require(listed.json["runs"] as? [[String: Any]])
        let listedClips = (views.first?["progress"] as? [String: Any])?["clips"] as? [[String: Any]] ?? []
        #expect(!listedClips.isEmpty && listedClips.allSatisfy { $0["url"] == nil })
    }

    @Test func anIdleEventStreamSendsKeepaliveComments() async throws {
        // The clip takes 10 s: the stream is opened (curl started) while the run is still live, even on a busy machine;
        // a stream opened after the run ended is read back from the database at once, with no pause to fill.
        var project = try await ServeProject.make(users: ["alice": 1], runway: ["generationSeconds": 10.0])
        defer { project.remove() }
        project.environment["RUNNER_SERVE_KEEPALIVE"] = "0.3"
        let server = try await project.serve()
        defer { server.stop() }
        let created = try await server.request("POST", "/v1/runs", json: ["user": "alice"])
        let text = try server.eventStream(of: try #require(created.json["id"] as? String))
        // While the clip is made comment lines keep the stream alive, and are no events.
        #expect(text.contains(": keepalive\n\n"), "\(text)")
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty && !$0.hasPrefix(":") }
        #expect(events.allSatisfy { $0.hasPrefix("id: ") })
        #expect(events.last?.contains("event: runFinished") == true)
    }

    @Test func aRestartMidRunResumesWithNoExtraPaidTask() async throws {
        // Clips take 20 s at the double, so the server is killed while all three are in flight (even on a busy machine).
        let project = try await ServeProject.make(users: ["alice": 3], runway: ["generationSeconds": 20.0])
        defer { project.remove() }
        let first = try await project.serve(tag: "first")
        let created = try await first.request("POST", "/v1/runs", json: ["user": "alice", "session": "crash"])
        let run = try #require(created.json["id"] as? String)
        // Killed once the run has recorded all three paid tasks (its itemSubmitted events).
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let state = try await first.request("GET", "/v1/runs/\(run)")
            if (state.json["progress"] as? [String: Any])?["paidTasks"] as? Int == 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await project.tasksCreated() == 3)
        first.kill()
        let killed = try await project.tasksCreated()

        let second = try await project.serve(tag: "second")
        defer { second.stop() }
        let listed = try await second.request("GET", "/v1/runs")
        #expect((listed.json["runs"] as? [[String: Any]])?.first?["id"] as? String == run)
        let done = try await second.finished(run)
        #expect(done.json["status"] as? String == "succeeded", "\(done.body)\n\(second.errors)")
        #expect(try await project.tasksCreated() == killed, "the resumed run paid for a clip again")
        let progress = try #require(done.json["progress"] as? [String: Any])
        #expect(progress["completedCount"] as? Int == 3)
        // The events of both servers are one stream: the first server's, then the resumed run's.
        let events = try second.events(of: run)
        #expect(events.map(\.id) == Array(1...events.count))
        #expect(events.filter { $0.kind == "runStarted" }.count == 2)
        #expect(events.contains { $0.kind == "itemResumed" })
        #expect(events.last?.kind == "runFinished")
    }

    @Test func aCancelledRunStopsAndANewRunOfTheSessionFinishesIt() async throws {
        // A clip takes 10 s at the double: the cancel lands while the first is made, however busy the machine.
        let project = try await ServeProject.make(users: ["alice": 3], runway: ["generationSeconds": 10.0])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let created = try await server.request(
            "POST", "/v1/runs", json: ["user": "alice", "session": "stop", "concurrency": 1])
        let run = try #require(created.json["id"] as? String)
        let deadline = Date().addingTimeInterval(60)
        while try await project.tasksCreated() < 1, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let cancel = try await server.request("POST", "/v1/runs/\(run)/cancel")
        #expect([200, 202].contains(cancel.status), "\(cancel.body)")
        let done = try await server.finished(run)
        #expect(done.json["status"] as? String == "cancelled", "\(done.body)")
        let paid = try await project.tasksCreated()
        #expect(paid < 3, "the cancelled run went on submitting")

        let again = try await server.request("POST", "/v1/runs", json: ["user": "alice", "session": "stop"])
        let finished = try await server.finished(try #require(again.json["id"] as? String))
        #expect(finished.json["status"] as? String == "succeeded", "\(finished.body)")
        #expect(try await project.tasksCreated() == 3, "a clip was paid for twice")
    }

    @Test func runsOfTwoUsersShareTheAccountsWindowAndNeverExceedIt() async throws {
        // The account allows 2 at once; the template leaves concurrency to the account.
        let project = try await ServeProject.make(
            users: ["alice": 3, "bob": 3], runway: ["concurrencyLimit": 2, "generationSeconds": 1.0], concurrency: "")
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let alice = try await server.request("POST", "/v1/runs", json: ["user": "alice", "session": "a"])
        let bob = try await server.request("POST", "/v1/runs", json: ["user": "bob", "session": "b"])
        for created in [alice, bob] {
            let done = try await server.finished(try #require(created.json["id"] as? String))
            #expect(done.json["status"] as? String == "succeeded", "\(done.body)")
        }
        let stats = try await project.tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 6)
        #expect(stats["maxInFlight"] as? Int == 2, "\(stats)")
        #expect(stats["everThrottled"] as? Int == 0, "a task waited at Runway: the runs together passed the limit")
    }

    @Test func metricsAndHealth() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        #expect(try await server.request("GET", "/healthz").json["status"] as? String == "ok")
        let created = try await server.request("POST", "/v1/runs", json: ["user": "alice"])
        _ = try await server.finished(try #require(created.json["id"] as? String))
        let metrics = try await server.request("GET", "/metrics")
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("runner_runs_started_total 1"))
        #expect(metrics.body.contains("runner_runs_finished_total{status=\"succeeded\"} 1"))
        #expect(metrics.body.contains("runner_tasks_submitted_total 1"))
        #expect(metrics.body.contains("runner_runs_active 0"))
        #expect(!metrics.body.contains("alice"))
    }
}
