import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `runner serve` running as the built binary, and an HTTP client for it.
final class ServedRunner: Sendable {
    let process: Process
    let base: URL
    let stdout: URL
    let stderr: URL

    private init(process: Process, base: URL, stdout: URL, stderr: URL) {
        self.process = process
        self.base = base
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Starts the runner and waits (up to 60 s) for its `listening on URL` line.
    static func start(_ arguments: [String], environment: [String: String], folder: URL, tag: String) async throws
        -> ServedRunner
    {
        let out = folder.appendingPathComponent("\(tag)-\(UUID().uuidString.prefix(6)).out")
        let err = out.deletingPathExtension().appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.runner)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let address = line.split(separator: " ").last, let url = URL(string: String(address))
            {
                return ServedRunner(process: process, base: url, stdout: out, stderr: err)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let errors = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        throw TestSetupError(description: "runner serve did not start (status \(process.terminationStatus)): \(errors)")
    }

    /// An answer: its status, its body and the body as a JSON object when it is one.
    struct Answer: Sendable {
        let status: Int
        let body: String
        let headers: [String: String]

        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:]
        }

        /// `data` of an original API answer.
        var data: [String: Any] { (json["data"] as? [String: Any]) ?? [:] }
    }

    /// `METHOD path` with a JSON `body` and a bearer `token`.
    func request(_ method: String, _ path: String, json body: [String: Any]? = nil, token: String? = nil) async throws
        -> Answer
    {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return try await send(request)
    }

    /// `POST path` with raw bytes.
    func post(_ path: String, bytes: Data, token: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = "POST"
        request.httpBody = bytes
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
    }

    /// The text of a run's event stream, read with curl until the server ends it.
    func eventStream(of run: String, token: String? = nil, after: Int? = nil) throws -> String {
        var arguments = ["-sN", "--max-time", "120"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let after { arguments += ["-H", "Last-Event-ID: \(after)"] }
        arguments.append(URL(string: "/v1/runs/\(run)/events", relativeTo: base)!.absoluteString)
        return try TestSupport.run(try Scratch.which("curl"), arguments).stdout
    }

    /// The Server-Sent Events of a run, read with curl until the server ends the stream.
    func events(of run: String, token: String? = nil, after: Int? = nil) throws -> [(
        id: Int, kind: String, data: String
    )] {
        let text = try eventStream(of: run, token: token, after: after)
        var events: [(id: Int, kind: String, data: String)] = []
        // Comment blocks (": keepalive") are the stream's signs of life, not events.
        for block in text.components(separatedBy: "\n\n") where !block.isEmpty && !block.hasPrefix(":") {
            var id = -1
            var kind = ""
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) ?? -1 }
                if line.hasPrefix("event: ") { kind = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            events.append((id, kind, data))
        }
        return events
    }

    /// Polls `GET /v1/runs/{id}` until its status is final (up to `seconds`).
    func finished(_ run: String, token: String? = nil, seconds: Double = 120) async throws -> Answer {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let answer = try await request("GET", "/v1/runs/\(run)", token: token)
            let status = answer.json["status"] as? String ?? ""
            if ["succeeded", "failed", "cancelled"].contains(status) || Date() > deadline { return answer }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Stops the server (SIGTERM) and waits for it; one that has not stopped after 60 s is killed, and the test fails.
    /// (Stopping cancels every run in progress and waits for each to leave its state for the next server: after
    /// schemathesis has started dozens of runs, on a machine busy with the whole suite, that took over 20 s once.)
    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            Issue.record("runner serve did not stop within 60 s of SIGTERM; its errors:\n\(errors.suffix(4000))")
            kill()
        }
        process.waitUntilExit()
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// What the server wrote to standard error.
    var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
}

/// ffprobe's word on a video (the independent oracle): duration in seconds, width and height.
func probe(_ file: URL) throws -> (duration: Double, width: Int, height: Int) {
    let result = try run(
        try Scratch.which("ffprobe"),
        [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:format=duration", "-of",
            "json", file.path,
        ])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    let stream = (object["streams"] as? [[String: Any]])?.first ?? [:]
    let duration = Double((object["format"] as? [String: Any])?["duration"] as? String ?? "") ?? -1
    return (duration, stream["width"] as? Int ?? -1, stream["height"] as? Int ?? -1)
}

/// Downloads `url` with curl into `folder`; nil when it cannot be fetched.
func fetch(_ url: String, into folder: URL) throws -> URL? {
    let file = folder.appendingPathComponent("fetched-\(UUID().uuidString.prefix(8))")
    let result = try run(try Scratch.which("curl"), ["-sf", "-o", file.path, url])
    return result.status == 0 ? file : nil
}
