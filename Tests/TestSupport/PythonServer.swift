import Foundation

/// A small Python server run as a child process for one test (proxies, webhook receivers): real sockets,
/// nothing mocked. The script listens on a free loopback port and prints `port N` as its first line;
/// every later line it prints is its log.
public final class PythonServer {
    /// The end of an asyncio TCP server script that defines `handle(reader, writer)` and `log(line)`:
    /// it listens on a free loopback port, prints `port N`, and serves until stopped.
    public static let servingHandle = #"""

        async def main():
            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            log("port %d" % server.sockets[0].getsockname()[1])
            async with server:
                await server.serve_forever()

        asyncio.run(main())
        """#

    public let endpoint: URL
    private let process = Process()
    private let logFile: URL

    /// Starts `python3 -u -c script arguments...` (or `python3 -u file arguments...` when `file` is given)
    /// and waits for its port; `name` is for the error when it does not start.
    public init(script: String? = nil, file: String? = nil, arguments: [String], name: String) throws {
        let folder = try temporaryFolder()
        logFile = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: try Scratch.which("python3"))
        process.arguments = ["-u"] + (file.map { [$0] } ?? ["-c", script ?? ""]) + arguments
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        try process.run()
        var port: Int?
        let deadline = Date().addingTimeInterval(30)
        while port == nil, Date() < deadline, process.isRunning {
            let first = Self.lines(of: logFile).first ?? ""
            if first.hasPrefix("port ") { port = Int(first.dropFirst(5)) } else { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let port, let url = URL(string: "http://127.0.0.1:\(port)") else {
            kill(process.processIdentifier, SIGKILL)
            throw TestSetupError(description: "the \(name) did not start: \(Self.lines(of: logFile))")
        }
        endpoint = url
    }

    /// What it has logged so far (after the port line).
    public var log: [String] { Array(Self.lines(of: logFile).dropFirst()) }

    /// Stops the server and returns its log.
    @discardableResult
    public func stop() -> [String] {
        guard FileManager.default.fileExists(atPath: logFile.path) else { return [] }
        // SIGKILL: the child inherits a signal mask from Foundation's launcher that can leave SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let lines = log
        try? FileManager.default.removeItem(at: logFile.deletingLastPathComponent())
        return lines
    }

    deinit { stop() }

    private static func lines(of file: URL) -> [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
