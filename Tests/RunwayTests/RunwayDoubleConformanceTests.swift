import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What makes the Runway double trustworthy: the official `runwayml` Python SDK drives it
/// (Tests/RunwayTests/Double/check_with_sdk.py), and malformed requests get the real API's answers.
/// The double is started by scripts/test-servers/runway-double.sh (`make test`), which exports its address.
@Suite("Runway double conformance")
struct RunwayDoubleConformanceTests {
    /// The lines check_with_sdk.py prints, one per check, when all is well.
    static let sdkChecks = [
        "create-wait-mp4", "bad-request", "authentication", "runway-version", "organization",
        "throttled-then-succeeded", "rate-limit", "load-shedding-retried", "dropped-post-answer", "task-failure",
        "cancel", "upload", "output-expiry", "durations", "audio-price", "keyframes", "final-cost",
        "organization-limits",
        "expired-link-refresh",
    ]

    @Test("the official SDK creates, waits for and downloads a real clip, and gets its own error types")
    func officialSDKAgainstTheDouble() async throws {
        let url = try DoubleEnvironment.url()
        let run = try await DoubleEnvironment.runPython(
            script: DoubleEnvironment.packageRoot.appendingPathComponent("Tests/RunwayTests/Double/check_with_sdk.py"),
            environment: ["RUNNER_TEST_RUNWAY_URL": url.absoluteString], timeout: 240)
        let report = "check_with_sdk.py exited \(run.status)\n--- stdout\n\(run.stdout)\n--- stderr\n\(run.stderr)"
        try #require(run.status == 0, "\(report)")  // its FAIL lines say which checks failed
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for name in Self.sdkChecks {
            #expect(lines.contains { $0.hasPrefix("PASS \(name):") }, "no PASS line for \(name)\n\(report)")
        }
        #expect(lines.contains("SUMMARY passed=\(Self.sdkChecks.count) failed=0"), "\(report)")
    }

    @Test("malformed requests get the API's 400 and 401 bodies, and create no task")
    func malformedRequestsAreRefused() async throws {
        let double = try DoubleClient(base: DoubleEnvironment.url())
        let key = try await double.newTenant()
        let image = try Data(
            contentsOf: DoubleEnvironment.packageRoot
                .appendingPathComponent("examples/frames/frame_01_dawn.jpg"))
        let dataURI = "data:image/jpeg;base64," + image.base64EncodedString()
        let valid: [String: Any] = ["model": "gen4_turbo", "promptImage": dataURI, "ratio": "1280:720", "duration": 5]
        func with(_ changes: [String: Any]) -> [String: Any] { valid.merging(changes) { $1 } }

        let cases: [(name: String, request: URLRequest, status: Int, mentions: [String])] = [
            ("wrong key", double.request("GET", "/v1/organization", key: "not-the-key"), 401, ["Invalid API key"]),
            ("no key", double.request("GET", "/v1/organization", key: nil), 401, ["Invalid API key"]),
            (
                "no X-Runway-Version", double.request("GET", "/v1/organization", key: key, version: nil), 400,
                ["X-Runway-Version", "2024-11-06"]
            ),
            (
                "wrong X-Runway-Version", double.request("GET", "/v1/organization", key: key, version: "2023-01-01"),
                400, ["X-Runway-Version"]
            ),
            (
                "gen3a ratio", try double.post(with(["ratio": "1280:768"]), key: key), 400,
                ["ratio", "gen3a_turbo", "1584:672"]
            ),
            ("duration 11", try double.post(with(["duration": 11]), key: key), 400, ["duration", "2, 3, 4"]),
            (
                "veo3.1 of 5 s", try double.post(with(["model": "veo3.1", "duration": 5]), key: key), 400,
                ["duration", "4, 6, 8"]
            ),
            ("audio on gen4_turbo", try double.post(with(["audio": true]), key: key), 400, ["audio"]),
            ("retired veo3", try double.post(with(["model": "veo3", "duration": 8]), key: key), 400, ["veo3.1"]),
            ("unknown model", try double.post(with(["model": "gen3a_turbo"]), key: key), 400, ["model"]),
            ("unknown field", try double.post(with(["resolution": "720p"]), key: key), 400, ["resolution"]),
            (
                "promptText of 1001 UTF-16 units",
                try double.post(with(["promptText": String(repeating: "\u{1F305}", count: 500) + "a"]), key: key), 400,
                ["1001 UTF-16"]
            ),
            ("seed out of range", try double.post(with(["seed": 4_294_967_296]), key: key), 400, ["seed"]),
            (
                "data URI not an image",
                try double.post(
                    with(["promptImage": "data:image/png;base64," + Data("hello".utf8).base64EncodedString()]),
                    key: key), 400, ["not a PNG, JPEG or WebP"]
            ),
            ("text/plain body", try double.post(valid, key: key, contentType: "text/plain"), 400, ["Content-Type"]),
        ]
        for item in cases {
            let (status, body) = try await double.send(item.request)
            #expect(status == item.status, "\(item.name): HTTP \(status), body \(body)")
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            #expect(json.map { Array($0.keys) } == ["error"], "\(item.name): body is not {\"error\": ...}: \(body)")
            let message = json?["error"] as? String ?? ""
            for word in item.mentions {
                #expect(message.contains(word), "\(item.name): \(message.debugDescription) does not mention \(word)")
            }
        }
        let stats = try await double.stats(key: key)
        #expect(stats["tasksCreated"] as? Int == 0, "refused requests created tasks: \(stats)")
    }
}

/// A test's precondition that is not met, reported as the test's failure.
private struct DoubleSetupError: Error, CustomStringConvertible {
    let description: String
}

/// Where the package and the double are, and how to run the Python side.
private enum DoubleEnvironment {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url() throws -> URL {
        guard let text = ProcessInfo.processInfo.environment["RUNNER_TEST_RUNWAY_URL"], !text.isEmpty,
            let url = URL(string: text)
        else {
            throw DoubleSetupError(
                description: "RUNNER_TEST_RUNWAY_URL is not set: run the tests through "
                    + "`make test` / scripts/test.sh, which starts the Runway double (scripts/test-servers/runway-double.sh)"
            )
        }
        return url
    }

    /// Runs `python3 script` with output to temporary files (no pipes to fill), killing it after `timeout`.
    static func runPython(script: URL, environment: [String: String], timeout: TimeInterval) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("runway-double-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw DoubleSetupError(
                description: "\(script.lastPathComponent) did not finish within \(Int(timeout)) s; "
                    + "its output:\n" + ((try? String(contentsOf: out, encoding: .utf8)) ?? ""))
        }
        process.waitUntilExit()
        return (
            process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }
}

/// Plain HTTP to the double: its Runway endpoints and its control API.
private struct DoubleClient {
    let base: URL
    let session = URLSession(configuration: .ephemeral)

    func request(
        _ method: String, _ path: String, key: String?, version: String? = "2024-11-06",
        body: Data? = nil, contentType: String? = nil
    ) -> URLRequest {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 30
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let version { request.setValue(version, forHTTPHeaderField: "X-Runway-Version") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        return request
    }

    func post(_ json: [String: Any], key: String, contentType: String = "application/json") throws -> URLRequest {
        request(
            "POST", "/v1/image_to_video", key: key, body: try JSONSerialization.data(withJSONObject: json),
            contentType: contentType)
    }

    func send(_ request: URLRequest) async throws -> (status: Int, body: String) {
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A fresh isolated tenant of the double (its own key, config, tasks and counters).
    func newTenant() async throws -> String {
        let (status, body) = try await send(
            request(
                "POST", "/__double__/tenants", key: nil, version: nil,
                body: Data("{}".utf8), contentType: "application/json"))
        guard status == 200, let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let key = json["key"] as? String
        else {
            throw DoubleSetupError(description: "the double did not create a tenant: HTTP \(status) \(body)")
        }
        return key
    }

    func stats(key: String) async throws -> [String: Any] {
        let (_, body) = try await send(request("GET", "/__double__/stats", key: key, version: nil))
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }
}
