import Foundation
import TestSupport
import Testing

/// Tests/RunnerTests/Support/webhook_receiver.py, running for one test.
final class WebhookReceiver {
    struct Request: Decodable {
        let status: Int
        let signatureValid: Bool
        let timestamp: String
        let body: String
    }

    let url: String
    private let process: Process
    private let input: Pipe
    private let log: URL

    /// Starts a receiver that checks signatures with `secret` and fails the first `failures` requests.
    init(secret: String, failures: Int) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Scratch.which("python3"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("webhook_receiver.py")
        process.arguments = [script.path, secret, log.path, String(failures)]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        guard let line = String(data: output.fileHandleForReading.availableData, encoding: .utf8)?
            .trimmingCharacters(in: .whitespacesAndNewlines), let port = Int(line) else {
            throw TestSetupError(description: "the webhook receiver did not start")
        }
        url = "http://127.0.0.1:\(port)/hooks/video?token=abc"
    }

    /// The requests received so far.
    func requests() throws -> [Request] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}
