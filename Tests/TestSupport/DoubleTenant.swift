import Foundation
import Manifest
import Runway
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Runway double started by scripts/test.sh, with one isolated tenant (organisation) per test.
public struct DoubleTenant: Sendable {
    public let base: URL
    public let key: String

    /// A new tenant with `config` (see Tests/RunwayTests/Double/runway_double.py's control API).
    public static func make(_ config: [String: Any] = [:]) async throws -> DoubleTenant {
        guard let address = ProcessInfo.processInfo.environment["RUNNER_TEST_RUNWAY_URL"],
            let base = URL(string: address)
        else {
            Issue.record(
                "RUNNER_TEST_RUNWAY_URL is not set: run the tests through `make test` (scripts/test.sh starts the Runway double)"
            )
            throw CancellationError()
        }
        var settings: [String: Any] = ["generationSeconds": 0.2, "pendingSeconds": 0.05, "precomputedClips": true]
        settings.merge(config) { _, new in new }
        let answer = try await DoubleTenant.post(base.appendingPathComponent("__double__/tenants"), settings)
        let key = try #require(answer["key"] as? String)
        return DoubleTenant(base: base, key: key)
    }

    /// The tenant's counters.
    public func stats() async throws -> [String: Any] {
        var request = URLRequest(url: base.appendingPathComponent("__double__/stats"))
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Changes the tenant's config; changes apply at once, also to running tasks.
    public func configure(_ config: [String: Any]) async throws {
        var request = URLRequest(url: base.appendingPathComponent("__double__/config"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: config)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    public func client(pollInterval: Duration = .milliseconds(50), key override: String? = nil) -> RunwayClient {
        RunwayClient(
            configuration: .init(
                baseURL: base, apiKey: Secret(override ?? key), keySource: "${env:RUNWAYML_API_SECRET}",
                pollInterval: pollInterval, timeout: .seconds(60), postAttempts: 4,
                retryBaseDelay: .milliseconds(20)))
    }

    private static func post(_ url: URL, _ body: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
