import Foundation
import TestSupport

/// Tests/RunnerTests/Support/canary_listener.py for one test: a loopback HTTP listener that records every byte it
/// receives, so a test can assert that a secret never reached it.
final class CanaryListener {
    /// How it answers.
    enum Mode: String {
        /// 403, empty.
        case refuse
        /// 400 whose error text repeats every request header (and an escape sequence).
        case echo400
    }

    let server: PythonServer
    private let logFile: URL

    init(_ mode: Mode = .refuse) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("canary-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "canary_listener.py")
        server = try PythonServer(file: script.path, arguments: [logFile.path, mode.rawValue], name: "canary listener")
    }

    /// `http://127.0.0.1:PORT`.
    var base: String { server.endpoint.absoluteString }
    /// The port.
    var port: Int { server.endpoint.port ?? 0 }

    /// Every request received so far, raw.
    func received() throws -> [String] {
        try String(contentsOf: logFile, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["received"] as? String ?? ""
        }
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: logFile)
    }
}
