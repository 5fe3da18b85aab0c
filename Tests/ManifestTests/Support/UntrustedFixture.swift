import Manifest
import Testing

/// Distinctive fake secrets: each contains `CANARY` and a unique tail, so that a leak of any part shows.
let canaries: [String: String] = [
    "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID7F3C9",
    "AWS_SECRET_ACCESS_KEY": "CANARY-aws-secret-7f3c9e1d2b",
    "AWS_SESSION_TOKEN": "CANARY-aws-session-5a8d0c4e6f",
    "RUNWAYML_API_SECRET": "CANARY-runway-key-3b9f7a2c1e",
]

/// Loads manifest text with the canaries in the environment (plus `environment`), `trusted` hosts (as
/// `--trust-host` gives them) and `marked` secret names (as `--secret-env` gives them).
func loadUntrusted(
    _ yaml: String, variables: [(String, String)] = [], environment: [String: String] = [:],
    trusted: [String] = [], marked: [String] = [], requireEnvironment: Bool = false
) -> ManifestResult {
    let environment = canaries.merging(environment) { $1 }
    return ManifestLoader.load(
        bytes: Array(yaml.utf8), file: "pipeline.yaml", directory: "/work/project",
        options: ManifestOptions(
            variables: variables, environment: environment,
            requireEnvironment: requireEnvironment,
            trustedHosts: TrustedHosts(environment: environment, flags: trusted),
            secrets: SecretValues(environment: environment, marked: marked)))
}

/// Fails when a canary, or a tell-tale part of one, appears in any diagnostic or in the rendering of `result` in
/// any format.
func expectNoCanary(
    _ result: ManifestResult, also values: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) {
    var texts = result.diagnostics.map(\.description)
    for format in DiagnosticFormat.allCases { texts.append(DiagnosticRenderer.render([result], as: format)) }
    for text in texts {
        #expect(!text.contains("CANARY"), "a canary reached a diagnostic: \(text)", sourceLocation: sourceLocation)
        for value in Array(canaries.values) + values {
            #expect(
                !text.contains(String(value.suffix(10))), "the end of a secret reached a diagnostic: \(text)",
                sourceLocation: sourceLocation)
        }
    }
}

/// A kenburns pipeline with local frames, in block style: `top` goes after `name`, `frames` replaces the frames
/// stage's `from` line, `publish` is added to the publish stage.
func untrustedManifest(
    top: String = "", from: String = "./frames/", publish: String = "", provider: String = "draft: { type: kenburns }"
) -> String {
    """
    version: 1
    name: hostile
    \(top)
    providers:
      \(provider)
    stages:
      frames:
        type: frames
        from: "\(from)"
      clips: { type: generate, needs: [frames], provider: draft, ratio: "1280:720", duration: 5, to: ./out/clips/ }
      film: { type: merge, needs: [clips] }
      publish:
        type: publish
        needs: [film]
        to: ./out/film.mp4
    \(publish)
    """
}
