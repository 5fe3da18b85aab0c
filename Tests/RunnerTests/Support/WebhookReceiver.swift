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
    private let server: PythonServer
    private let requestsFile: URL

    /// Starts a receiver that checks signatures with `secret` and fails the first `failures` requests.
    init(secret: String, failures: Int) throws {
        requestsFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "webhook-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: requestsFile.path, contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "webhook_receiver.py")
        server = try PythonServer(
            file: script.path, arguments: [secret, requestsFile.path, String(failures)], name: "webhook receiver")
        url = server.endpoint.absoluteString + "/hooks/video?token=abc"
    }

    /// The requests received so far.
    func requests() throws -> [Request] {
        try String(contentsOf: requestsFile, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: requestsFile)
    }
}
