import Foundation
import Testing

/// What a finished process printed and how it exited.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// An exit status and what was printed.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Paths of the package, found from this file's location.
public enum PackagePaths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `runner` built beside this test bundle (`swift build --build-tests` builds both), or RUNNER_BIN.
    public static var runner: String {
        if let override = ProcessInfo.processInfo.environment["RUNNER_BIN"] { return override }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("runner").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? root.appendingPathComponent(".build/debug/runner").path
    }

    public static func example(_ name: String) -> String {
        root.appendingPathComponent("examples/pipelines/\(name)").path
    }
}

/// Runs a program to completion and captures its output.
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    in directory: URL? = nil
) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    // Output goes to files, not pipes: a pipe that fills up would stall the process.
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let outURL = folder.appendingPathComponent("stdout")
    let errURL = folder.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// Runs the runner.
public func runner(_ arguments: String..., environment: [String: String]? = nil) throws -> ProcessOutput {
    try run(PackagePaths.runner, arguments, environment: environment)
}

/// A fresh temporary folder.
public func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("runner-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
