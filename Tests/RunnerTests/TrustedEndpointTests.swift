import Foundation
import Manifest
import Stages
import Storage
import TestSupport
import Testing

/// Credentials go only where the trusted side sends them, checked again where settings become requests (defence
/// in depth behind the manifest's decoder, docs/security.md): a Runway provider's manifest `baseURL` gets the key
/// only on Runway's public host or an allowed one, and `--trust-host` reaches those checks in the engine.
@Suite(.serialized)
struct TrustedEndpointTests {
    static let key = "key_CANARY-runway-7f3c9e0123456789"

    /// A provider `draft` of type runway with `baseURL`, read with the decoder trusting every host (so that the
    /// check under test is the generator registry's, not the decoder's).
    static func provider(baseURL: String?) throws -> Provider {
        let text = """
            version: 1
            name: trust
            providers:
              draft: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}"\(baseURL.map { ", baseURL: \"\($0)\"" } ?? "") }
            stages:
              frames: { type: frames, from: ./frames/ }
              clips: { type: generate, needs: [frames], provider: draft, model: gen4_turbo, ratio: "1280:720", duration: 5, to: ./clips/ }
            """
        let host = baseURL.flatMap { URL(string: $0)?.host } ?? "api.dev.runwayml.com"
        let options = ManifestOptions(
            environment: ["RUNWAYML_API_SECRET": key],
            trustedHosts: TrustedHosts(environment: [:], flags: [host]))
        let result = ManifestLoader.load(
            bytes: Array(text.utf8), file: "trust.yaml", directory: "/tmp", options: options)
        return try #require(result.pipeline?.provider(named: "draft"), "\(result.diagnostics.map(\.message))")
    }

    @Test func aManifestBaseURLOnAnUntrustedHostGetsNoKey() throws {
        let provider = try Self.provider(baseURL: "http://127.0.0.1:9/\(Self.key)")
        do {
            _ = try GeneratorRegistry.generator(for: provider, environment: ["RUNWAYML_API_SECRET": Self.key])
            Issue.record("the untrusted base URL was accepted")
        } catch {
            #expect(error.description.contains("`baseURL` names the host 127.0.0.1:9"), "\(error.description)")
            #expect(
                error.description.contains("RUNNER_TRUSTED_HOSTS=127.0.0.1:9")
                    && error.description.contains("--trust-host 127.0.0.1:9"))
            #expect(!error.description.contains(Self.key))
        }
    }

    @Test func theTrustedSideAllowsABaseURLAndRunwaysOwnHostNeedsNoLeave() throws {
        let local = try Self.provider(baseURL: "http://127.0.0.1:9")
        #expect(throws: Never.self) {
            _ = try GeneratorRegistry.generator(for: local, environment: ["RUNNER_TRUSTED_HOSTS": "127.0.0.1:9"])
        }
        #expect(throws: Never.self) {
            _ = try GeneratorRegistry.generator(
                for: local, environment: [:], trustedHosts: TrustedHosts(environment: [:], flags: ["127.0.0.1"]))
        }
        #expect(throws: Never.self) {
            _ = try GeneratorRegistry.generator(
                for: try Self.provider(baseURL: "https://api.dev.runwayml.com"), environment: [:])
        }
        // RUNWAYML_BASE_URL is the trusted side's own setting.
        #expect(throws: Never.self) {
            _ = try GeneratorRegistry.generator(
                for: try Self.provider(baseURL: nil), environment: ["RUNWAYML_BASE_URL": "http://127.0.0.1:9"])
        }
    }

    /// End to end, against moto and the Runway double: endpoints written in the manifest work once `--trust-host`
    /// allows them, at every check (decoder, S3 store, generator), for plan and apply.
    @Test func trustHostReachesTheEnginesChecks() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        let moto = try #require(project.environment["AWS_ENDPOINT_URL"])
        let runway = try #require(project.environment["RUNWAYML_BASE_URL"])
        project.environment["AWS_ENDPOINT_URL"] = nil
        project.environment["RUNWAYML_BASE_URL"] = nil
        let manifest =
            Manifests.runway(bucket: cloud.bucket)
            .replacingOccurrences(of: "    pollInterval: 50ms", with: "    pollInterval: 50ms\n    baseURL: \(runway)")
            + "\ns3: { endpoint: \"\(moto)\" }\n"
        try project.write(manifest: manifest)
        let motoHost = try #require(URL(string: moto)).host ?? ""
        let runwayHost = try #require(URL(string: runway)).host ?? ""
        let plan = try project.runner("plan", project.manifest, "--trust-host", motoHost, "--trust-host", runwayHost)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let apply = try project.runner("apply", project.manifest, "--trust-host", motoHost, "--trust-host", runwayHost)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try await cloud.tasksCreated() == 1)
    }
}
