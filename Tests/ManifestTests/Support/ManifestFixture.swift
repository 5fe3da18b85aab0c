import Manifest
import Testing

/// Loads manifest text as if from `pipeline.yaml` in `/work/project`, with a controlled environment.
func load(
    _ yaml: String, variables: [(String, String)] = [], environment: [String: String] = [:],
    requireEnvironment: Bool = false
) -> ManifestResult {
    ManifestLoader.load(
        bytes: Array(yaml.utf8), file: "pipeline.yaml", directory: "/work/project",
        options: ManifestOptions(
            variables: variables, environment: environment,
            requireEnvironment: requireEnvironment))
}

/// The one diagnostic whose message contains `fragment`, failing the test when there is not exactly one.
func diagnostic(
    _ result: ManifestResult, containing fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let matches = result.diagnostics.filter { $0.message.contains(fragment) }
    #expect(
        matches.count == 1,
        "expected one diagnostic containing \"\(fragment)\"; got:\n\(result.diagnostics.map(\.description).joined(separator: "\n"))",
        sourceLocation: sourceLocation)
    return matches.first
}

/// Expects an error containing `fragment` at `line`:`column`.
func expectError(
    _ result: ManifestResult, _ fragment: String, at line: Int, _ column: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let found = diagnostic(result, containing: fragment, sourceLocation: sourceLocation) else { return }
    #expect(found.severity == .error, sourceLocation: sourceLocation)
    #expect(found.position.file == "pipeline.yaml", sourceLocation: sourceLocation)
    #expect(
        (found.position.line, found.position.column) == (line, column),
        "\(found) is not at \(line):\(column)", sourceLocation: sourceLocation)
    #expect(result.pipeline == nil, sourceLocation: sourceLocation)
}

/// A valid local pipeline, to which tests add or change lines.
let quickstart = """
    version: 1
    name: quickstart
    providers:
      draft: { type: kenburns }
    stages:
      frames:  { type: frames, from: ./frames/ }
      clips:   { type: generate, needs: [frames], provider: draft, ratio: "1280:720", duration: 5, to: ./out/clips/ }
      film:    { type: merge, needs: [clips] }
      publish: { type: publish, needs: [film], to: ./out/quickstart.mp4 }
    """

/// A Runway pipeline in block style, so that each value has its own line.
let runwayPipeline = """
    version: 1
    name: teaser
    vars:
      user: alice
    providers:
      runway:
        type: runway
        apiKey: ${env:RUNWAYML_API_SECRET}
        concurrency: 5
    stages:
      frames:
        type: frames
        from: s3://media-bucket/frames/${vars.user}/
      clips:
        type: generate
        needs: [frames]
        provider: runway
        model: gen4_turbo
        ratio: "1280:720"
        duration: 5
        prompt: Smooth cinematic motion
        to: s3://media-bucket/clips/${vars.user}/
      film:
        type: merge
        needs: [clips]
      publish:
        type: publish
        needs: [film]
        to: s3://media-bucket/final/${session}.mp4
        presign: 24h
    """
