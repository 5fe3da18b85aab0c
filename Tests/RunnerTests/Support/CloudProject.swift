import Foundation
import Storage
import TestSupport
import Testing

/// The project's cloud: a fresh bucket on the moto server and a fresh tenant of the Runway double,
/// both started by scripts/test.sh on 127.0.0.1.
struct Cloud: Sendable {
    let store: S3Store
    let tenant: DoubleTenant

    var bucket: String { store.bucket }

    /// A new bucket holding the project's frames under `frames/`, a new double tenant with `config`,
    /// and the project's environment pointed at both (AWS_ENDPOINT_URL, RUNWAYML_BASE_URL, the key).
    static func make(for project: inout PipelineProject, runway config: [String: Any] = [:]) async throws -> Cloud {
        let store = try await Moto.store("apply")
        let tenant = try await DoubleTenant.make(config)
        let frames = project.folder.appendingPathComponent("frames")
        for name in try FileManager.default.contentsOfDirectory(atPath: frames.path).sorted() {
            try await store.put("frames/\(name)", from: frames.appendingPathComponent(name), contentType: "image/png")
        }
        for (name, value) in Moto.awsEnvironment() where name.hasPrefix("AWS_") { project.environment[name] = value }
        project.environment["AWS_ENDPOINT_URL"] = try Moto.endpoint().absoluteString
        project.environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        project.environment["RUNWAYML_API_SECRET"] = tenant.key
        return Cloud(store: store, tenant: tenant)
    }

    /// Every object with its ETag and modification time.
    func objects() async throws -> [String: ObjectInfo] {
        var found: [String: ObjectInfo] = [:]
        for try await object in store.list(prefix: "") { found[object.key] = object }
        return found
    }

    /// The double's count of tasks created for this tenant.
    func tasksCreated() async throws -> Int {
        try #require(try await tenant.stats()["tasksCreated"] as? Int)
    }

    /// Downloads an object to a local file.
    func download(_ key: String, to file: URL) async throws {
        try await store.get(key, to: file)
    }

    /// Text of every object under `prefix`, for leak checks.
    func contents(under prefix: String) async throws -> String {
        var texts: [String] = []
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for try await object in store.list(prefix: prefix) where object.key.hasSuffix(".json") {
            let file = folder.appendingPathComponent(UUID().uuidString)
            try await store.get(object.key, to: file)
            texts.append(try String(contentsOf: file, encoding: .utf8))
        }
        return texts.joined(separator: "\n")
    }
}

/// Manifests for the tests: small frames, short clips.
enum Manifests {
    /// Local frames, the Ken Burns generator at 160x90 for 1 s per clip, a local film.
    static func local(name: String = "local-test", clipsTo: String = "./out/clips/", extra: String = "") -> String {
        """
        version: 1
        name: \(name)
        providers:
          draft: { type: kenburns, concurrency: 2 }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips:  { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, seed: 3, to: \(clipsTo) }
          film:   { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4 }
        \(extra)
        """
    }

    /// S3 frames, Runway clips (gen4_turbo, 5 s, 25 credits each) to S3, a film published to S3 with a link.
    /// `state` is a local folder or an S3 prefix; `overrides` and `clipsOptions` are YAML lines for the generate stage.
    static func runway(
        bucket: String, name: String = "cloud-test", state: String? = nil, concurrency: Int = 3,
        onFailure: String = "fail", overrides: String = "", budget: String = "", retries: Int = 1
    ) -> String {
        """
        version: 1
        name: \(name)
        providers:
          runway:
            type: runway
            apiKey: ${env:RUNWAYML_API_SECRET}
            concurrency: \(concurrency)
            pollInterval: 50ms
        \(state.map { "state: \($0)" } ?? "")
        \(budget)
        stages:
          frames:
            type: frames
            from: s3://\(bucket)/frames/
          clips:
            type: generate
            needs: [frames]
            provider: runway
            model: gen4_turbo
            ratio: "1280:720"
            duration: 5
            prompt: Smooth cinematic motion
            seed: 7
            retries: \(retries)
            onFailure: \(onFailure)
            to: s3://\(bucket)/clips/
        \(overrides)
          film:
            type: merge
            needs: [clips]
          publish:
            type: publish
            needs: [film]
            to: s3://\(bucket)/final/film.mp4
            presign: 1h
        """
    }
}
