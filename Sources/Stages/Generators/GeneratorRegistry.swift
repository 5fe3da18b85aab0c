import Foundation
import Manifest
import Runway
import Storage

/// The one place that maps a provider type to its generator: a new provider is one new case here.
public enum GeneratorRegistry {
    /// The generator for `provider`, configured from the manifest and, where the manifest is silent,
    /// the environment (`RUNWAYML_BASE_URL`, as Runway's SDKs read it).
    ///
    /// The manifest is untrusted (docs/security.md): a `baseURL` it writes receives the API key only when its host is
    /// Runway's public API or `trustedHosts` (default: `RUNNER_TRUSTED_HOSTS` in `environment`) allows it; otherwise
    /// this throws before any request. `RUNWAYML_BASE_URL` is the trusted side's own. `secrets` (default: the
    /// environment's) are scrubbed from everything Runway answers.
    public static func generator(
        for provider: Provider,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        trustedHosts: TrustedHosts? = nil, secrets: SecretValues? = nil
    ) throws(StageError) -> any VideoGenerator {
        switch provider.settings {
        case .kenburns(let settings):
            return KenBurnsGenerator(settings: settings)
        case .runway(let settings):
            let secrets = secrets ?? SecretValues(environment: environment)
            let fromManifest = settings.baseURL != nil
            let text = settings.baseURL ?? environment[RunwayAPI.baseURLVariable] ?? RunwayAPI.defaultBaseURL
            let source = fromManifest ? "`baseURL`" : RunwayAPI.baseURLVariable
            guard let base = URL(string: text), base.scheme == "https" || base.scheme == "http", let host = base.host
            else {
                throw StageError.providerSetting(
                    provider: provider.name,
                    problem:
                        "the base URL \(Redaction.text(text, secrets: secrets)) from \(source) is not an http(s) URL; "
                        + "fix `baseURL` or \(RunwayAPI.baseURLVariable)")
            }
            if fromManifest {
                try checkTrusted(
                    base, host: host, provider: provider.name,
                    trustedHosts: trustedHosts ?? TrustedHosts(environment: environment))
            }
            guard !settings.apiKey.isEmpty else {
                throw StageError.providerSetting(
                    provider: provider.name,
                    problem: "the API key from \(settings.apiKeySource) is empty; set it to your Runway API key")
            }
            return RunwayGenerator(
                client: RunwayClient(
                    configuration: .init(
                        baseURL: base, apiKey: settings.apiKey, keySource: settings.apiKeySource,
                        pollInterval: settings.pollInterval, timeout: settings.timeout, secrets: secrets)))
        }
    }

    /// A manifest's `baseURL` receives `Authorization: Bearer <key>` only on Runway's public host or a host the
    /// trusted side allows; user information in it is refused outright.
    private static func checkTrusted(_ base: URL, host: String, provider: String, trustedHosts: TrustedHosts)
        throws(StageError)
    {
        guard base.user == nil, base.password == nil else {
            throw StageError.providerSetting(
                provider: provider,
                problem: "`baseURL` carries user information (user:password@), which "
                    + "an endpoint written in a manifest may not: a manifest is untrusted (docs/security.md); remove it"
            )
        }
        if TrustedHosts.isPublicServiceEndpoint(host: host) || trustedHosts.allows(host: host, port: base.port) {
            return
        }
        let shown = InertText.escaped(base.port.map { "\(host):\($0)" } ?? host)
        throw StageError.providerSetting(
            provider: provider,
            problem: "`baseURL` names the host \(shown), which the manifest may not "
                + "send the Runway API key to: a manifest is untrusted (docs/security.md); "
                + "\(TrustedHosts.howToAllow(host: InertText.escaped(host), port: base.port)), or set \(RunwayAPI.baseURLVariable) "
                + "in the environment instead of `baseURL`")
    }
}
