import Foundation
import Manifest
import Runway

/// The one place that maps a provider type to its generator: a new provider is one new case here.
public enum GeneratorRegistry {
    /// The generator for `provider`, configured from the manifest and, where the manifest is silent,
    /// the environment (`RUNWAYML_BASE_URL`, as Runway's SDKs read it).
    public static func generator(for provider: Provider,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws(StageError) -> any VideoGenerator {
        switch provider.settings {
        case let .kenburns(settings):
            return KenBurnsGenerator(settings: settings)
        case let .runway(settings):
            let text = settings.baseURL ?? environment[RunwayAPI.baseURLVariable] ?? RunwayAPI.defaultBaseURL
            guard let base = URL(string: text), base.scheme == "https" || base.scheme == "http" else {
                throw StageError.providerSetting(provider: provider.name,
                    problem: "the base URL \(text) is not an http(s) URL; fix `baseURL` or \(RunwayAPI.baseURLVariable)")
            }
            guard !settings.apiKey.isEmpty else {
                throw StageError.providerSetting(provider: provider.name,
                    problem: "the API key from \(settings.apiKeySource) is empty; set it to your Runway API key")
            }
            return RunwayGenerator(client: RunwayClient(configuration: .init(
                baseURL: base, apiKey: settings.apiKey, keySource: settings.apiKeySource,
                pollInterval: settings.pollInterval, timeout: settings.timeout)))
        }
    }
}
