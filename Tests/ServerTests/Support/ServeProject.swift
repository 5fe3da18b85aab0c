import Foundation
import Storage
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A served project for one test: a moto bucket holding each user's frames under `reference-frames/{user}/`, a fresh
/// tenant of the Runway double, the serve template (the original layout) and, optionally, a tokens file.
struct ServeProject: Sendable {
    let folder: URL
    let store: S3Store
    let tenant: DoubleTenant
    var environment: [String: String]

    var bucket: String { store.bucket }
    var template: String { folder.appendingPathComponent("serve.yaml").path }
    var database: String { folder.appendingPathComponent("runs.sqlite").path }

    /// `frames` distinct PNG frames for each of `users`, uploaded; the double configured with `runway`.
    static func make(
        users: [String: Int], runway: [String: Any] = [:], concurrency: String = "concurrency: 3"
    ) async throws -> ServeProject {
        let folder = try temporaryFolder()
        let store = try await Moto.store("serve")
        let tenant = try await DoubleTenant.make(runway)
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in Moto.awsEnvironment() where name.hasPrefix("AWS_") { environment[name] = value }
        environment["AWS_ENDPOINT_URL"] = try Moto.endpoint().absoluteString
        environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        environment["RUNWAYML_API_SECRET"] = tenant.key
        let project = ServeProject(folder: folder, store: store, tenant: tenant, environment: environment)
        var offset = 0
        for (user, count) in users.sorted(by: { $0.key < $1.key }) {
            for (index, file) in try Stills.make(count, in: folder, startingAt: offset).enumerated() {
                try await store.put(
                    "reference-frames/\(user)/frame_\(index + 1).png", from: file, contentType: "image/png")
            }
            offset += count
        }
        try ServeTemplates.original(bucket: store.bucket, concurrency: concurrency)
            .write(toFile: project.template, atomically: true, encoding: .utf8)
        return project
    }

    /// Starts `runner serve` on a free loopback port and waits until it listens.
    func serve(_ extra: [String] = [], tag: String = "serve") async throws -> ServedRunner {
        try await ServedRunner.start(
            ["serve", "--template", template, "--listen", "127.0.0.1:0", "--state", database, "--rate", "0"] + extra,
            environment: environment, folder: folder, tag: tag)
    }

    /// Writes a tokens file with these lines and returns its path.
    func tokens(_ lines: [String]) throws -> String {
        let path = folder.appendingPathComponent("tokens.txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The double's count of paid tasks for this tenant.
    func tasksCreated() async throws -> Int {
        try #require(try await tenant.stats()["tasksCreated"] as? Int)
    }

    /// Every key in the bucket.
    func keys() async throws -> [String] {
        var keys: [String] = []
        for try await object in store.list(prefix: "") { keys.append(object.key) }
        return keys
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Serve templates for the tests: the original system's S3 layout, Gen-4 Turbo clips of 5 s.
enum ServeTemplates {
    static func original(bucket: String, concurrency: String) -> String {
        """
        version: 1
        name: serve-test
        session: ${vars.session}
        vars:
          user: nobody
          session: first
          prompt: Smooth cinematic motion
        providers:
          runway:
            type: runway
            apiKey: ${env:RUNWAYML_API_SECRET}
            \(concurrency)
            pollInterval: 50ms
        state: s3://\(bucket)/runner-state/${vars.user}/
        stages:
          frames:
            type: frames
            from: s3://\(bucket)/reference-frames/${vars.user}/
          clips:
            type: generate
            needs: [frames]
            provider: runway
            model: gen4_turbo
            ratio: "1280:720"
            duration: 5
            prompt: ${vars.prompt}
            seed: 7
            to: s3://\(bucket)/video-clips/${vars.user}/
            clipName: "{frame}_video_clip.mp4"
          film:
            type: merge
            needs: [clips]
          publish:
            type: publish
            needs: [film]
            to: s3://\(bucket)/video-clips/${vars.user}/final_video_${session}.mp4
            presign: 1h
        """
    }
}

/// Distinct PNG stills made by ffmpeg (its moving test pattern, one second apart), at an odd size (150x94).
enum Stills {
    static func make(_ count: Int, in folder: URL, startingAt offset: Int) throws -> [URL] {
        let scratch = folder.appendingPathComponent("stills-\(offset)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let result = try run(
            try Scratch.which("ffmpeg"),
            [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=150x94:rate=1", "-frames:v",
                "\(offset + count)", scratch.appendingPathComponent("still_%03d.png").path,
            ])
        guard result.status == 0 else { throw TestSetupError(description: "ffmpeg made no stills: \(result.stderr)") }
        return (offset + 1...offset + count).map {
            scratch.appendingPathComponent(String(format: "still_%03d.png", $0))
        }
    }
}
