import Foundation
import TestSupport
import Testing

/// Users stay apart: tokens, per-user prefixes, runs and films; no secret in any answer or event.
@Suite(.serialized)
struct ServerSecurityTests {
    static let path = OriginalAPITests.path
    static let aliceToken = "alice-token-5f0c2a9e41d7b3"
    static let bobToken = "bob-token-8e1d4c7a20f9b6e"
    static let adminToken = "admin-token-c3b9e7a15d2f40"

    static func tokens(_ project: ServeProject) throws -> String {
        try project.tokens([
            "# tokens for the tests", "\(aliceToken) alice", "\(bobToken) bob,carol", "\(adminToken) *",
        ])
    }

    @Test func aWrongTokenGets401AndNothingElse() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await project.serve(["--tokens", try Self.tokens(project)])
        defer { server.stop() }
        // No token, a wrong one, one differing in its last character, another scheme, the right one twice over.
        let wrong: [String?] = [
            nil, "nope", String(Self.aliceToken.dropLast()) + "4", Self.aliceToken + Self.aliceToken, "",
        ]
        for token in wrong {
            for (method, path) in [
                ("GET", "\(Self.path)?action=list_frames&userId=alice"), ("GET", "/v1/runs"), ("GET", "/metrics"),
                ("POST", "/v1/runs"),
            ] {
                let answer = try await server.request(
                    method, path, json: method == "POST" ? ["user": "alice"] : nil, token: token)
                #expect(answer.status == 401, "\(method) \(path) with \(token ?? "no token"): \(answer.body)")
                #expect(answer.body == #"{"error":"unauthorized"}"#)
                #expect(answer.headers["www-authenticate"] == "Bearer")
            }
        }
        let basic = try await server.post(Self.path, bytes: Data(#"{"action":"list_frames","userId":"alice"}"#.utf8))
        #expect(basic.status == 401)
        #expect(try await project.tasksCreated() == 0)
        // The right token works; health needs none.
        let right = try await server.request(
            "GET", "\(Self.path)?action=list_frames&userId=alice", token: Self.aliceToken)
        #expect(right.status == 200, "\(right.body)")
        #expect(try await server.request("GET", "/healthz").status == 200)
    }

    @Test func twoUsersCannotSeeEachOthersFramesRunsOrFilms() async throws {
        let project = try await ServeProject.make(users: ["alice": 2, "bob": 1])
        defer { project.remove() }
        let server = try await project.serve(["--tokens", try Self.tokens(project)])
        defer { server.stop() }
        let aliceRun = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "sessionId": "mine"],
            token: Self.aliceToken)
        #expect(aliceRun.status == 200, "\(aliceRun.body)")
        let bobRun = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "bob", "sessionId": "his"],
            token: Self.bobToken)
        #expect(bobRun.status == 200, "\(bobRun.body)")
        let bobID = try #require(bobRun.data["runId"] as? String)
        let aliceID = try #require(aliceRun.data["runId"] as? String)

        // Frames: Bob's token cannot list Alice's, nor act for her in any action.
        for action in ["list_frames", "generate_videos", "prepare_merge"] {
            let answer = try await server.request(
                "POST", Self.path, json: ["action": action, "userId": "alice", "sessionId": "mine"],
                token: Self.bobToken)
            #expect(answer.status == 403, "\(action): \(answer.body)")
            #expect(answer.json["success"] as? Bool == false)
            #expect(!answer.body.contains("frame_1"))
        }
        // Runs: Alice does not see Bob's run, by id, by list, by events or by cancel.
        let shown = try await server.request("GET", "/v1/runs/\(bobID)", token: Self.aliceToken)
        #expect(shown.status == 404)
        let events = try await server.request("GET", "/v1/runs/\(bobID)/events", token: Self.aliceToken)
        #expect(events.status == 404)
        let cancel = try await server.request("POST", "/v1/runs/\(bobID)/cancel", token: Self.aliceToken)
        #expect(cancel.status == 404)
        let listed = try await server.request("GET", "/v1/runs?user=bob", token: Self.aliceToken)
        #expect(listed.status == 403)
        let own = try await server.request("GET", "/v1/runs", token: Self.aliceToken)
        let ids = (own.json["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == [aliceID])
        // The admin token sees both.
        let all = try await server.request("GET", "/v1/runs", token: Self.adminToken)
        #expect(
            Set((all.json["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == [aliceID, bobID])
        // Films: Bob's session is not Alice's to fetch, and her answer names none of his objects.
        let film = try await server.request(
            "POST", Self.path, json: ["action": "prepare_merge", "userId": "alice", "sessionId": "his"],
            token: Self.aliceToken)
        #expect(film.status == 404, "\(film.body)")
        #expect(!aliceRun.body.contains("/bob/"))
    }

    @Test func noSecretAppearsInAnyAnswerOrEvent() async throws {
        let project = try await ServeProject.make(users: ["alice": 2])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        var texts: [String] = []
        let generated = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "sessionId": "s1"])
        texts.append(generated.body)
        let run = try #require(generated.data["runId"] as? String)
        texts.append(try await server.request("GET", "/v1/runs/\(run)").body)
        texts.append(try await server.request("GET", "/v1/runs").body)
        texts.append(try await server.request("GET", "\(Self.path)?action=list_frames&userId=alice").body)
        texts.append(try await server.request("GET", "/metrics").body)
        texts += try server.events(of: run).map(\.data)
        // A failing run's error too: a prompt the double refuses.
        try await project.tenant.configure(["failMarkers": ["REFUSE": "SAFETY.INPUT.TEXT"]])
        let refused = try await server.request(
            "POST", Self.path,
            json: ["action": "generate_videos", "userId": "alice", "sessionId": "s2", "prompt": "REFUSE"])
        texts.append(refused.body)
        #expect(refused.json["success"] as? Bool == false, "\(refused.body)")
        let key = try #require(project.environment["RUNWAYML_API_SECRET"])
        let secret = try #require(project.environment["AWS_SECRET_ACCESS_KEY"])
        let all = texts.joined(separator: "\n")
        #expect(all.count > 1000)
        #expect(!all.contains(key), "the Runway key appeared in an answer")
        #expect(!all.contains(secret), "the AWS secret appeared in an answer")
    }

    @Test func listeningBeyondLoopbackWithoutTokensIsRefused() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let result = try run(
            PackagePaths.runner,
            ["serve", "--template", project.template, "--listen", "0.0.0.0:0", "--state", project.database],
            environment: project.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--tokens"), "\(result.stderr)")
        #expect(result.stderr.contains("loopback"))
        // Refused before any line says where it listens.
        #expect(!result.stderr.contains("so listening on loopback only"), "\(result.stderr)")
    }

    @Test func aTemplateThatSharesAFolderBetweenUsersIsRefused() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let shared = try String(contentsOfFile: project.template, encoding: .utf8)
            .replacingOccurrences(of: "video-clips/${vars.user}/\n", with: "video-clips/\n")
        try shared.write(toFile: project.template, atomically: true, encoding: .utf8)
        let result = try run(
            PackagePaths.runner, ["serve", "--template", project.template, "--listen", "127.0.0.1:0"],
            environment: project.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("stages.clips.to"), "\(result.stderr)")
    }

    @Test func largeBodiesAndFastClientsAreLimited() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await ServedRunner.start(
            [
                "serve", "--template", project.template, "--listen", "127.0.0.1:0", "--state", project.database,
                "--max-body", "2048", "--rate", "5",
            ], environment: project.environment, folder: project.folder, tag: "limits")
        defer { server.stop() }
        let big = try await server.post(Self.path, bytes: Data(repeating: UInt8(ascii: " "), count: 4096))
        #expect(big.status == 413, "\(big.body)")
        var statuses: [Int] = []
        for _ in 0..<30 { statuses.append(try await server.request("GET", "/healthz").status) }
        #expect(statuses.contains(429))
        #expect(statuses.first == 200)
    }
}
