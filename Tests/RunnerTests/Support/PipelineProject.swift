import Foundation
import Storage
import TestSupport
import Testing

/// A throwaway project for one test: distinct frames, a manifest, and (by default) outputs and state,
/// all in one temporary folder; the runner binary is run in it with the test's environment.
struct PipelineProject: Sendable {
    let folder: URL
    var environment: [String: String]

    /// A project with `frames` distinct PNG frames (ffmpeg's moving test pattern, one second apart) in `frames/`.
    static func make(frames count: Int, size: String = "160x90") throws -> PipelineProject {
        let folder = try temporaryFolder()
        let frames = folder.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "RUNWAYML_API_SECRET")
        let project = PipelineProject(folder: folder, environment: environment)
        if count > 0 { try project.makeFrames(count, startingAt: 1, size: size) }
        return project
    }

    /// Writes frames `frame_NN.png` numbered from `first`, each a different picture.
    func makeFrames(_ count: Int, startingAt first: Int, size: String = "160x90") throws {
        // The pattern moves with time: frame N is the pattern at N seconds, so every frame differs. Frames
        // 1...first+count-1 are rendered (seeking a lavfi source is not exact) and the new ones kept.
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try run(
            try Scratch.which("ffmpeg"),
            [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=1",
                "-frames:v", "\(first + count - 1)", scratch.appendingPathComponent("frame_%02d.png").path,
            ])
        guard result.status == 0 else {
            throw TestSetupError(description: "ffmpeg could not make frames: \(result.stderr)")
        }
        for index in first..<(first + count) {
            let name = String(format: "frame_%02d.png", index)
            try FileManager.default.moveItem(
                at: scratch.appendingPathComponent(name),
                to: folder.appendingPathComponent("frames/\(name)"))
        }
    }

    /// The manifest's path.
    var manifest: String { folder.appendingPathComponent("pipeline.yaml").path }

    /// Writes the manifest.
    func write(manifest text: String) throws {
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
    }

    /// A path inside the project.
    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// Runs `runner ARGUMENTS` in the project folder, with the project's environment.
    func runner(_ arguments: String...) throws -> ProcessOutput {
        try run(PackagePaths.runner, arguments, environment: environment, in: folder)
    }

    /// Starts `runner ARGUMENTS` without waiting; its output goes to files in the project's `logs/`.
    func start(_ arguments: [String], tag: String) throws -> StartedRunner {
        let logs = folder.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let out = logs.appendingPathComponent("\(tag).out")
        let err = logs.appendingPathComponent("\(tag).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.runner)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return StartedRunner(process: process, stdout: out, stderr: err)
    }

    /// Every regular file under `relative`, by path relative to the project, with its bytes' modification time.
    func files(under relative: String) -> [String: Date] {
        let root = folder.appendingPathComponent(relative)
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])
        else { return [:] }
        var found: [String: Date] = [:]
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            found[String(url.path.dropFirst(folder.path.count + 1))] = values?.contentModificationDate ?? .distantPast
        }
        return found
    }

    /// Text of every file under `relative` joined, for leak checks.
    func contents(under relative: String) -> String {
        files(under: relative).keys.sorted().compactMap { try? String(contentsOfFile: path($0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    /// Removes the project.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A runner started in the background.
struct StartedRunner {
    let process: Process
    let stdout: URL
    let stderr: URL

    /// Waits for the exit and reads the output.
    func finish() -> ProcessOutput {
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
    }
}
