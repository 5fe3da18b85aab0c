import Foundation
import TestSupport
import Testing

/// The page `GET /` serves, loaded in headless Chromium (Debian's package) by `page_check.py` over the DevTools
/// protocol, against `runner serve` with moto and the Runway double: the page asks for the token, picks up a run
/// started after it loaded, follows its events as the clips land, and ends with every clip's tile and the film in a
/// player. The script reports what the page shows; this test judges it.
@Suite(.serialized)
struct PageInChromiumTests {
    static let script = PackagePaths.root.appendingPathComponent("Tests/ServerTests/Browser/page_check.py").path
    /// A frame whose name is markup: the page must show it as text and never run it.
    static let markupName = "frame_4 <img src=x onerror=\"window.__pwned=true\">.png"

    @Test func thePageFollowsARunLiveAndShowsItsClipsAndItsFilm() async throws {
        // One task at a time, 2 s each: the run takes long enough for the page to see it go.
        let project = try await ServeProject.make(
            users: ["alice": 3], runway: ["generationSeconds": 2.0, "concurrencyLimit": 1])
        defer { project.remove() }
        let still = try Stills.make(1, in: project.folder, startingAt: 10)[0]
        try await project.store.put("reference-frames/alice/\(Self.markupName)", from: still, contentType: "image/png")
        let tokens = try project.tokens(["page-token-alice alice"])
        let server = try await project.serve(["--tokens", tokens])
        defer { server.stop() }

        // The page is open (and has been given its token) before the run starts.
        let screenshot = project.folder.appendingPathComponent("page.png")
        let report = project.folder.appendingPathComponent("page-check.json")
        let driver = try Self.startDriver(
            [
                server.base.absoluteString + "/", "--token", "page-token-alice", "--screenshot", screenshot.path,
                "--timeout", "150",
            ], output: report)
        defer { if driver.isRunning { driver.terminate() } }
        try await Self.waitForLine(in: report, containing: "\"pageReady\"", while: driver)

        let created = try await server.request(
            "POST", "/v1/runs", json: ["user": "alice", "session": "page"], token: "page-token-alice")
        #expect(created.status == 201, "\(created.body)")
        let runID = try #require(created.json["id"] as? String)
        while driver.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n")
        let facts = try #require(
            try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any],
            "page_check.py said: \(lines)")
        #expect(facts["error"] == nil, "\(facts)")
        #expect(facts["settled"] as? Bool == true, "the page never showed the finished run: \(facts)")

        // The token: asked for, kept for the tab.
        #expect(facts["tokenFormShown"] as? Bool == true)
        #expect(facts["tokenStored"] as? Bool == true)

        // The run the test started, picked up by the page on its own, and finished.
        #expect(facts["runId"] as? String == runID)
        let text = try #require(facts["runText"] as? String)
        #expect(text.contains("alice") && text.contains("page") && text.contains(runID), "\(text)")
        #expect(facts["status"] as? String == "succeeded")

        // Live progress: the bar went through states between empty and full while the clips landed.
        let seen = try #require(facts["progressSeen"] as? [[Int]])
        let partial = seen.filter { $0[1] > 1 && $0[0] > 0 && $0[0] < $0[1] }
        #expect(!partial.isEmpty, "the progress bar never showed a run part done: \(seen)")
        #expect(Set(seen.map { $0[2] }).count > 1, "the clips did not appear one by one: \(seen)")
        let value = try #require(facts["progressValue"] as? Int)
        let maximum = try #require(facts["progressMax"] as? Int)
        #expect(value == maximum && maximum >= 4, "progress \(value)/\(maximum)")

        // Every clip's tile shows a decoded frame of the clip; the markup name is text, and did not run.
        #expect(facts["clipCount"] as? Int == 4)
        #expect(facts["clipsWithFrame"] as? Int == 4)
        let captions = try #require(facts["clipCaptions"] as? [String])
        #expect(captions.contains(Self.markupName), "\(captions)")
        #expect(facts["pwned"] as? Bool == false)
        #expect(facts["imagesInPage"] as? Int == 0)

        // The film: in a player with controls, its link the published one, 4 clips of 5 s at 1280x720.
        let film = try #require(facts["filmSrc"] as? String)
        #expect(film.contains("/video-clips/alice/final_video_page.mp4"), "\(film)")
        #expect(facts["filmHasControls"] as? Bool == true)
        #expect(abs((facts["filmDuration"] as? Double ?? 0) - 20) < 0.5, "\(facts["filmDuration"] ?? "none")")
        #expect(facts["filmWidth"] as? Int == 1280)

        // No script failed.
        #expect((facts["exceptions"] as? [String])?.isEmpty == true, "\(facts["exceptions"] ?? "")")
        #expect((facts["consoleErrors"] as? [String])?.isEmpty == true, "\(facts["consoleErrors"] ?? "")")

        // The screenshot is the page drawn: the window's size, many colours (text, clip frames, the player), and
        // the run's region is not flat.
        #expect(facts["screenshotSize"] as? [Int] == [1280, 1000])
        #expect((facts["screenshotColours"] as? Int ?? 0) > 500, "\(facts["screenshotColours"] ?? "none")")
        #expect((facts["runRegionColours"] as? Int ?? 0) > 100, "\(facts["runRegionColours"] ?? "none")")
        #expect((facts["runRegionLuminanceSpread"] as? Double ?? 0) > 10)
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
    }

    @Test func aWrongTokenShowsNoRunsAndKeepsAskingForOne() async throws {
        let project = try await ServeProject.make(users: ["alice": 1])
        defer { project.remove() }
        let tokens = try project.tokens(["right-token-for-alice alice"])
        let server = try await project.serve(["--tokens", tokens])
        defer { server.stop() }
        let created = try await server.request(
            "POST", "/v1/runs", json: ["user": "alice", "session": "hidden"], token: "right-token-for-alice")
        #expect(created.status == 201, "\(created.body)")
        let runID = try #require(created.json["id"] as? String)
        _ = try await server.finished(runID, token: "right-token-for-alice")

        let report = project.folder.appendingPathComponent("page-check.json")
        let driver = try Self.startDriver(
            [
                server.base.absoluteString + "/", "--token", "wrong-token", "--run", runID, "--screenshot",
                project.folder.appendingPathComponent("wrong.png").path, "--timeout", "8",
            ], output: report)
        while driver.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n")
        let facts = try #require(
            try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any], "\(lines)")
        #expect(facts["runShown"] as? Bool == false)
        #expect(facts["settled"] as? Bool == false)
        #expect(facts["tokenFormVisible"] as? Bool == true)
        #expect((facts["notice"] as? String ?? "").contains("token"), "\(facts["notice"] ?? "")")
    }

    /// Starts page_check.py with its standard output going to `output`.
    static func startDriver(_ arguments: [String], output: URL) throws -> Process {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Scratch.which("python3"))
        process.arguments = ["-u", script] + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        return process
    }

    /// Waits until `file` has a line containing `text` (the driver's "page ready" line), or the driver ended.
    static func waitForLine(in file: URL, containing text: String, while process: Process) async throws {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, process.isRunning {
            if let content = try? String(contentsOf: file, encoding: .utf8), content.contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let content = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        throw TestSetupError(description: "the page did not load in Chromium: \(content)")
    }
}
