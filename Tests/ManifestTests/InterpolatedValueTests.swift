import Manifest
import Testing

/// What a loaded pipeline says it read from outside its text (issue 17: a saved plan keeps the digests of these):
/// variables after `--var`, environment variables that are set, and no secret's value.
@Suite struct InterpolatedValueTests {
    static let manifest = """
        version: 1
        name: values
        vars: { user: alice, folder: "${env:FRAME_DIR}", token: "${env:COPY_OF_KEY}" }
        session: ${vars.user}
        providers:
          runway: { type: runway, apiKey: "${env:MY_RUNWAY_KEY}" }
        stages:
          frames: { type: frames, from: "./${vars.folder}/" }
          clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, duration: 5, to: "./clips/${env:UNSET_PART:-x}/" }
        """

    @Test func variablesAndEnvironmentAreListedAndSecretsHaveNoValue() throws {
        let environment = [
            "FRAME_DIR": "frames", "MY_RUNWAY_KEY": "key-0123456789abcdef", "COPY_OF_KEY": "key-0123456789abcdef",
        ]
        let result = ManifestLoader.load(
            bytes: Array(Self.manifest.utf8), file: "values.yaml", directory: "/project",
            options: ManifestOptions(variables: [("user", "bob")], environment: environment))
        let pipeline = try #require(result.pipeline, "\(result.diagnostics)")
        #expect(
            pipeline.interpolatedValues == [
                .init(reference: "env:COPY_OF_KEY", value: nil),
                .init(reference: "env:FRAME_DIR", value: "frames"),
                .init(reference: "env:MY_RUNWAY_KEY", value: nil),
                .init(reference: "vars.folder", value: "frames"),
                .init(reference: "vars.token", value: nil),
                .init(reference: "vars.user", value: "bob"),
            ], "an unset variable with a default is not listed; `token` holds a secret's value, which is not kept")
        #expect(pipeline.manifestBytes == Array(Self.manifest.utf8))
    }
}
