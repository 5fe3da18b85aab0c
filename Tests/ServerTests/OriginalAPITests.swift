import Foundation
import TestSupport
import Testing

/// The original system's API (`/api/process_s3_video_workflow`), answer field by field, against moto and the Runway
/// double, with `runner serve` running as the built binary.
@Suite(.serialized)
struct OriginalAPITests {
    static let path = "/api/process_s3_video_workflow"

    @Test func listFramesAnswersTheUsersFramesInOrderByGETAndPOST() async throws {
        let project = try await ServeProject.make(users: ["alice": 3, "bob": 1])
        defer { project.remove() }
        // Not frames: a sidecar and a text file beside them; a frame 10 sorts after frame 2.
        let extra = project.folder.appendingPathComponent("notes.txt")
        try "notes".write(to: extra, atomically: true, encoding: .utf8)
        try await project.store.put("reference-frames/alice/notes.txt", from: extra, contentType: "text/plain")
        try await project.store.put("reference-frames/alice/._frame_1.png", from: extra, contentType: "image/png")
        let ten = try Stills.make(1, in: project.folder, startingAt: 20)[0]
        try await project.store.put("reference-frames/alice/frame_10.png", from: ten, contentType: "image/png")
        // A name a run would refuse (a backslash) is not offered as a frame.
        try await project.store.put("reference-frames/alice/frame_11\\x.png", from: ten, contentType: "image/png")
        let server = try await project.serve()
        defer { server.stop() }

        let got = try await server.request("GET", "\(Self.path)?action=list_frames&userId=alice")
        let posted = try await server.request("POST", Self.path, json: ["action": "list_frames", "userId": "alice"])
        for answer in [got, posted] {
            #expect(answer.status == 200, "\(answer.body)")
            #expect(answer.json["success"] as? Bool == true)
            #expect(answer.json["totalFrames"] as? Int == 4)
            let frames = try #require(answer.json["frames"] as? [[String: Any]])
            #expect(
                frames.map { $0["name"] as? String } == ["frame_1.png", "frame_2.png", "frame_3.png", "frame_10.png"])
            #expect(frames.allSatisfy { ($0["key"] as? String)?.hasPrefix("reference-frames/alice/") == true })
            // Each link serves the frame's bytes, and the size is the object's.
            let first = try #require(frames.first)
            let url = try #require(first["url"] as? String)
            // A presigned link carries the access key id whole: scrubbed as a secret, S3 would refuse the link.
            #expect(url.contains("X-Amz-Credential=\(Moto.credentials.accessKeyID)%2F"), "\(url)")
            #expect(!answer.body.contains("redacted"), "\(answer.body)")
            let file = try #require(try fetch(url, into: project.folder))
            let original = try Data(contentsOf: project.folder.appendingPathComponent("stills-0/still_001.png"))
            #expect(try Data(contentsOf: file) == original)
            #expect(first["size"] as? Int == original.count)
            #expect(first["lastModified"] as? String != nil)
        }
    }

    @Test func generateVideosMakesTheClipsAndTheFilmAndARerunPaysNothing() async throws {
        let project = try await ServeProject.make(users: ["alice": 3])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let request: [String: Any] = [
            "action": "generate_videos", "userId": "alice", "sessionId": "launch", "frameAspectRatio": "16:9",
            "prompt": "Slow push-in", "batchSize": 2,
        ]
        let answer = try await server.request("POST", Self.path, json: request)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.json["success"] as? Bool == true)
        #expect(answer.json["error"] == nil)
        let data = answer.data
        #expect(data["sessionId"] as? String == "launch")
        #expect(data["totalFrames"] as? Int == 3)
        #expect(data["completedCount"] as? Int == 3)
        #expect(data["status"] as? String == "succeeded")
        #expect(try await project.tasksCreated() == 3)
        let urls = try #require(data["generatedVideoUrls"] as? [String])
        #expect(urls.count == 3)
        for (index, url) in urls.enumerated() {
            // The original layout: the user's clips folder, in frame order, named as the original named them.
            let path = try #require(URL(string: url)?.path)
            #expect(path.hasSuffix("/video-clips/alice/frame_\(index + 1)_video_clip.mp4"), "\(url)")
            let clip = try #require(try fetch(url, into: project.folder))
            let probed = try probe(clip)
            #expect(probed.width == 1280 && probed.height == 720)
            #expect(abs(probed.duration - 5) < 0.2)
        }
        #expect(urls.allSatisfy { $0.contains("X-Amz-Credential=\(Moto.credentials.accessKeyID)%2F") }, "\(urls)")
        let merged = try #require(data["mergedVideoUrl"] as? String)
        #expect(merged.contains("X-Amz-Credential=\(Moto.credentials.accessKeyID)%2F"), "\(merged)")
        #expect(!answer.body.contains("redacted"), "\(answer.body)")
        #expect(merged.contains("/video-clips/alice/final_video_launch.mp4"), "\(merged)")
        let film = try #require(try fetch(merged, into: project.folder))
        #expect(abs(try probe(film).duration - 15) < 0.3)

        // The same session again: nothing is paid for twice, and the answer is the same.
        let again = try await server.request("POST", Self.path, json: request)
        #expect(again.status == 200, "\(again.body)")
        #expect(again.data["completedCount"] as? Int == 3)
        #expect((again.data["generatedVideoUrls"] as? [String])?.count == 3)
        #expect(try await project.tasksCreated() == 3, "a rerun of the same session paid again")
    }

    /// A frame uploaded twice (the same picture under two names) is paid for once, and the answer still counts and
    /// lists a clip for each frame, in frame order: the original app expects one per frame.
    @Test func identicalFramesArePaidOnceAndEachStillHasItsClipInTheAnswer() async throws {
        let project = try await ServeProject.make(users: ["alice": 2])
        defer { project.remove() }
        let copy = project.folder.appendingPathComponent("same.png")
        try await project.store.get("reference-frames/alice/frame_1.png", to: copy)
        try await project.store.put("reference-frames/alice/frame_3.png", from: copy, contentType: "image/png")
        let server = try await project.serve()
        defer { server.stop() }
        let answer = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "sessionId": "twice"])
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.data["totalFrames"] as? Int == 3)
        #expect(answer.data["completedCount"] as? Int == 3, "\(answer.body)")
        let urls = try #require(answer.data["generatedVideoUrls"] as? [String])
        let paths = urls.compactMap { URL(string: $0)?.path }
        #expect(paths.count == 3, "\(urls)")
        // frame_3 is frame_1's picture: its clip is frame_1's, in frame_3's place.
        #expect(paths.first == paths.last && paths.first?.hasSuffix("/frame_1_video_clip.mp4") == true, "\(paths)")
        #expect(paths.dropFirst().first?.hasSuffix("/frame_2_video_clip.mp4") == true, "\(paths)")
        #expect(try await project.tasksCreated() == 2, "an identical frame was paid for again")
    }

    @Test func generateVideosWithWaitFalseAnswersAtOnceWithARunToFollow() async throws {
        let project = try await ServeProject.make(users: ["alice": 2], runway: ["generationSeconds": 1.5])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let answer = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "wait": false])
        #expect(answer.status == 202, "\(answer.body)")
        #expect(answer.json["success"] as? Bool == true)
        let run = try #require(answer.data["runId"] as? String)
        #expect(["queued", "running"].contains(answer.data["status"] as? String ?? ""))
        #expect(answer.data["run"] as? String == "/v1/runs/\(run)")
        #expect(answer.data["events"] as? String == "/v1/runs/\(run)/events")
        let session = try #require(answer.data["sessionId"] as? String)
        #expect(session.hasPrefix("s"))
        let done = try await server.finished(run)
        #expect(done.json["status"] as? String == "succeeded", "\(done.body)")
        let progress = try #require(done.json["progress"] as? [String: Any])
        #expect(progress["completedCount"] as? Int == 2)
        #expect(progress["paidTasks"] as? Int == 2)
    }

    @Test func prepareMergeMergesTheGivenClipsOnTheServerAndRefusesAnotherUsersClips() async throws {
        let project = try await ServeProject.make(users: ["alice": 2, "bob": 1])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let alice = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "sessionId": "a1"])
        let bob = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "bob", "sessionId": "b1"])
        let aliceClips = try #require(alice.data["generatedVideoUrls"] as? [String])
        let bobClips = try #require(bob.data["generatedVideoUrls"] as? [String])
        #expect(aliceClips.count == 2 && bobClips.count == 1)

        // Alice's two clips in the other order, and the first one twice: 15 s, merged on the server.
        let merged = try await server.request(
            "POST", Self.path,
            json: [
                "action": "prepare_merge", "userId": "alice", "sessionId": "remix",
                "videoClipUrls": [aliceClips[1], aliceClips[0], aliceClips[1]],
            ])
        #expect(merged.status == 200, "\(merged.body)")
        #expect(merged.json["success"] as? Bool == true)
        #expect(merged.data["sessionId"] as? String == "remix")
        let link = try #require(merged.data["mergedVideoUrl"] as? String)
        let film = try #require(try fetch(link, into: project.folder))
        #expect(abs(try probe(film).duration - 15) < 0.3)
        #expect(try await project.keys().contains("video-clips/alice/final_video_remix.mp4"))

        // The session's own film, by session.
        let bySession = try await server.request(
            "POST", Self.path, json: ["action": "prepare_merge", "userId": "alice", "sessionId": "a1"])
        #expect(bySession.status == 200, "\(bySession.body)")
        #expect((bySession.data["mergedVideoUrl"] as? String)?.contains("final_video_a1.mp4") == true)

        // Bob's clip in Alice's merge is refused, and nothing is written.
        let before = try await project.keys()
        let refused = try await server.request(
            "POST", Self.path,
            json: ["action": "prepare_merge", "userId": "alice", "sessionId": "stolen", "videoClipUrls": [bobClips[0]]])
        #expect(refused.status == 403, "\(refused.body)")
        #expect(refused.json["success"] as? Bool == false)
        #expect(try await project.keys() == before)

        // The runner's folder of alice's prepared frames (video-clips/alice.prepared/) is nobody's: a user of that
        // name is refused, and a still in alice's own folder is not a clip.
        let prepared = try #require(before.first { $0.hasPrefix("video-clips/alice.prepared/") }, "\(before)")
        let hijack = try await server.request(
            "POST", Self.path,
            json: [
                "action": "prepare_merge", "userId": "alice.prepared", "sessionId": "leak",
                "videoClipUrls": ["s3://\(project.store.bucket)/\(prepared)"],
            ])
        #expect(hijack.status == 400, "\(hijack.body)")
        #expect((hijack.json["error"] as? String)?.contains("may not end in '.prepared'") == true, "\(hijack.body)")
        let still = project.folder.appendingPathComponent("poster.jpg")
        try await project.store.get(prepared, to: still)
        try await project.store.put("video-clips/alice/poster.jpg", from: still, contentType: "image/jpeg")
        let notAClip = try await server.request(
            "POST", Self.path,
            json: [
                "action": "prepare_merge", "userId": "alice", "sessionId": "poster",
                "videoClipUrls": ["s3://\(project.store.bucket)/video-clips/alice/poster.jpg"],
            ])
        #expect(notAClip.status == 400, "\(notAClip.body)")
        #expect((notAClip.json["error"] as? String)?.contains("is not a video clip") == true, "\(notAClip.body)")
        #expect(try await !project.keys().contains("video-clips/alice/final_video_poster.mp4"))
    }

    @Test func badRequestsAreRefusedWithASentence() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let unknown = try await server.request("POST", Self.path, json: ["action": "list_frame", "userId": "alice"])
        #expect(unknown.status == 400)
        #expect((unknown.json["error"] as? String)?.contains("list_frames") == true, "\(unknown.body)")
        let missing = try await server.request("POST", Self.path, json: ["action": "list_frames"])
        #expect(missing.status == 400)
        #expect((missing.json["error"] as? String)?.contains("userId") == true)
        let wrongType = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "batchSize": "three"])
        #expect(wrongType.status == 400)
        #expect((wrongType.json["error"] as? String)?.contains("batchSize") == true, "\(wrongType.body)")
        let ratio = try await server.request(
            "POST", Self.path, json: ["action": "generate_videos", "userId": "alice", "frameAspectRatio": "2:1"])
        #expect(ratio.status == 400)
        #expect((ratio.json["error"] as? String)?.contains("gen4_turbo") == true, "\(ratio.body)")
        let notJSON = try await server.post(Self.path, bytes: Data("{action".utf8))
        #expect(notJSON.status == 400)
        // A list for a body: the sentence says what to send, not a type of the runner's own.
        let list = try await server.post(Self.path, bytes: Data("[]".utf8))
        #expect(list.status == 400)
        #expect(
            list.json["error"] as? String == "the body must be a JSON object, such as {\"action\": ...}", "\(list.body)"
        )
        #expect(try await project.tasksCreated() == 0)
    }

    /// A body declared larger than the limit is refused at once (413), without waiting for bytes that never come.
    @Test func aBodyDeclaredTooLargeIsRefusedAtOnce() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        let answered = try run(
            "/usr/bin/env",
            [
                "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-X", "POST",
                "-H", "Content-Type: application/json", "-H", "Content-Length: 100000000",
                "--data-binary", "{}", server.base.appendingPathComponent(String(Self.path.dropFirst())).absoluteString,
            ])
        #expect(answered.stdout == "413", "curl: \(answered.stdout) \(answered.stderr)")
    }

    @Test func hostileUserIDsAreRefused() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let server = try await project.serve()
        defer { server.stop() }
        for user in ["../x", "a/b", "", "a\u{1}b", "..", "a\\b", "a b", "%2e%2e", "alice/../bob"] {
            try await Self.refuses(user, server: server)
        }
        #expect(try await project.tasksCreated() == 0)
    }

    static func refuses(_ user: String, server: ServedRunner) async throws {
        for action in ["list_frames", "generate_videos", "prepare_merge"] {
            let answer = try await server.request("POST", Self.path, json: ["action": action, "userId": user])
            #expect(answer.status == 400, "\(action) \(user): \(answer.body)")
            #expect(answer.json["success"] as? Bool == false)
            #expect((answer.json["error"] as? String)?.contains("userId") == true)
        }
        var query = URLComponents()
        query.queryItems = [.init(name: "action", value: "list_frames"), .init(name: "userId", value: user)]
        let got = try await server.request("GET", Self.path + "?" + (query.percentEncodedQuery ?? ""))
        #expect(got.status == 400, "\(got.body)")
        let run = try await server.request("POST", "/v1/runs", json: ["user": user])
        #expect(run.status == 400, "\(run.body)")
    }
}
