import Foundation
import TestSupport
import Testing

/// Issue #12 end to end through `runner validate`: a manifest from a pull request, run with canary secrets in the
/// environment, gets no secret into the output in any format, makes no network request, and cannot forge output.
@Suite struct UntrustedManifestCLITests {
    static let canaries: [String: String] = [
        "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID7F3C9",
        "AWS_SECRET_ACCESS_KEY": "CANARY-aws-secret-7f3c9e",
        "AWS_SESSION_TOKEN": "CANARY-aws-session-5a8d0c",
        "RUNWAYML_API_SECRET": "CANARY-runway-key-3b9f7a",
    ]

    /// The canaries, and nothing else of the test runner's environment that could trust a host or mark a secret.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["RUNNER_TRUSTED_HOSTS", "RUNNER_SECRET_ENV", "AWS_ENDPOINT_URL", "RUNWAYML_BASE_URL"] {
            environment.removeValue(forKey: name)
        }
        return environment.merging(canaries) { $1 }.merging(extra) { $1 }
    }

    static func manifest(top: String = "", from: String = "./frames/", publish: String = "") -> String {
        """
        version: 1
        name: untrusted
        \(top)
        providers:
          draft: { type: kenburns }
        stages:
          frames: { type: frames, from: "\(from)" }
          clips: { type: generate, needs: [frames], provider: draft, ratio: "1280:720", duration: 5, to: ./out/clips/ }
          film: { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4\(publish) }
        """
    }

    /// Writes `text` as a manifest in a fresh folder and runs `runner validate FILE arguments...`.
    static func validate(_ text: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws
        -> ProcessOutput
    {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pipeline.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try run(
            PackagePaths.runner, ["validate", file.path] + arguments, environment: Self.environment(environment))
    }

    static func expectNoCanary(
        _ output: ProcessOutput, _ also: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for text in [output.stdout, output.stderr] {
            #expect(!text.contains("CANARY"), "a canary reached the output: \(text)", sourceLocation: sourceLocation)
            for value in Array(canaries.values) + also {
                #expect(
                    !text.contains(String(value.suffix(8))), "the end of a secret reached the output: \(text)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    struct Route: Sendable, CustomTestStringConvertible {
        let name: String
        let manifest: String
        var arguments: [String] = []
        var environment: [String: String] = [:]
        /// What the error must name.
        let reference: String
        var testDescription: String { name }
    }

    static let routes: [Route] = [
        Route(
            name: "a folder without its slash", manifest: manifest(from: "./${env:AWS_SECRET_ACCESS_KEY}"),
            reference: "`${env:AWS_SECRET_ACCESS_KEY}` holds a secret"),
        Route(
            name: "the session", manifest: manifest(top: "session: \"${env:AWS_SECRET_ACCESS_KEY}\""),
            reference: "`${env:AWS_SECRET_ACCESS_KEY}` holds a secret and cannot be used in `session`"),
        Route(
            name: "the webhook",
            manifest: manifest(publish: ", webhook: \"https://hooks.example.com/${env:RUNWAYML_API_SECRET}\""),
            reference: "`${env:RUNWAYML_API_SECRET}` holds a secret and cannot be used in `stages.publish.webhook`"),
        Route(
            name: "a variable",
            manifest: manifest(top: "vars: { dir: \"${env:AWS_SESSION_TOKEN}\" }", from: "./${vars.dir}/"),
            reference: "`${vars.dir}` holds a secret (it comes from `${env:AWS_SESSION_TOKEN}`)"),
        Route(
            name: "a --var", manifest: manifest(top: "vars: { user: alice }", from: "./${vars.user}/"),
            arguments: ["--var", "user=CANARY-aws-secret-7f3c9e"], reference: "`${vars.user}` holds a secret"),
        Route(
            name: "RUNNER_SECRET_ENV", manifest: manifest(top: "session: \"${env:DEPLOY_VALUE}\""),
            environment: ["DEPLOY_VALUE": "CANARY-marked-0d1e2f", "RUNNER_SECRET_ENV": "DEPLOY_VALUE"],
            reference: "`${env:DEPLOY_VALUE}` holds a secret"),
        Route(
            name: "--secret-env", manifest: manifest(top: "session: \"${env:DEPLOY_VALUE}\""),
            arguments: ["--secret-env", "DEPLOY_VALUE"], environment: ["DEPLOY_VALUE": "CANARY-flagged-9e8d7c"],
            reference: "`${env:DEPLOY_VALUE}` holds a secret"),
        Route(
            name: "a copy of a secret", manifest: manifest(top: "session: \"${env:PLAIN_COPY}\""),
            environment: ["PLAIN_COPY": "CANARY-runway-key-3b9f7a"], reference: "`${env:PLAIN_COPY}` holds a secret"),
    ]

    @Test(arguments: routes)
    func aSecretNeverReachesTheOutputInAnyFormat(route: Route) throws {
        for format in ["text", "json", "github"] {
            let output = try Self.validate(
                route.manifest, ["--format", format] + route.arguments, environment: route.environment)
            #expect(output.status == 2, "\(format): \(output.stdout)\(output.stderr)")
            #expect(output.stdout.contains(route.reference), "\(format): \(output.stdout)")
            Self.expectNoCanary(output, route.environment.values.filter { $0.contains("CANARY") })
        }
        // Without the secret-marking flag the plain variable is just a name: the same manifest passes.
        if route.arguments.first == "--secret-env" {
            let unmarked = try Self.validate(route.manifest, environment: ["DEPLOY_VALUE": "nightly"])
            #expect(unmarked.status == 0, "\(unmarked.stdout)")
        }
    }

    @Test func validateMakesNoNetworkRequest() throws {
        let listener = try PythonServer(
            script: """
                import asyncio
                def log(line):
                    print(line, flush=True)
                async def handle(reader, writer):
                    log("connection")
                    writer.close()
                """ + PythonServer.servingHandle, arguments: [], name: "connection recorder")
        defer { listener.stop() }
        let base = listener.endpoint.absoluteString
        let port = listener.endpoint.port ?? 0
        let text = """
            version: 1
            name: offline
            s3: { endpoint: "\(base)" }
            providers:
              runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", baseURL: "\(base)/v1" }
            stages:
              frames: { type: frames, from: "s3://bucket/f/" }
              clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720", duration: 5, to: "s3://bucket/clips/" }
              film: { type: merge, needs: [clips] }
              publish: { type: publish, needs: [film], to: "s3://bucket/film.mp4", webhook: "\(base)/hook", webhookSecret: "${env:AWS_SESSION_TOKEN}" }
            """
        let trusted = try Self.validate(text, ["--trust-host", "127.0.0.1:\(port)"])
        #expect(trusted.status == 0, "\(trusted.stdout)\(trusted.stderr)")
        let untrusted = try Self.validate(text)
        #expect(untrusted.status == 2)
        #expect(
            untrusted.stdout.contains(
                "set RUNNER_TRUSTED_HOSTS=127.0.0.1:\(port) in the environment or pass --trust-host 127.0.0.1:\(port)"))
        let viaEnvironment = try Self.validate(text, environment: ["RUNNER_TRUSTED_HOSTS": "127.0.0.1"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stdout)")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(listener.log.isEmpty, "validate connected to the manifest's endpoints: \(listener.log)")
        // The recorder does record: one connection of the test's own shows.
        let probe = try run(
            "/usr/bin/env",
            ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', \(port))).close()"])
        #expect(probe.status == 0)
        let deadline = Date().addingTimeInterval(5)
        while listener.log.isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(listener.log == ["connection"])
    }

    @Test func aWebhookOnTheMetadataAddressIsRefused() throws {
        let text = Self.manifest(publish: ", webhook: \"http://169.254.169.254/latest/meta-data/iam/\"")
        let refused = try Self.validate(text)
        #expect(refused.status == 2)
        #expect(
            refused.stdout.contains(
                "`stages.publish.webhook` points at `169.254.169.254`, a link-local or cloud metadata address"))
        let trusted = try Self.validate(text, ["--trust-host", "169.254.169.254"])
        #expect(trusted.status == 0, "\(trusted.stdout)")
    }

    @Test func aKeyCannotForgeAnAnnotation() throws {
        let text = Self.manifest(top: "\"x\\n::error file=.github/workflows/ci.yml,line=1::forged\\e[2K\": 1")
        for format in ["text", "github", "json"] {
            let output = try Self.validate(text, ["--format", format])
            #expect(output.status == 2)
            let lines = output.stdout.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("::error file=.github") }, "\(format): \(output.stdout)")
            #expect(!output.stdout.contains("\u{1B}"))
            if format == "github" {
                #expect(lines.allSatisfy { $0.hasPrefix("::error file=") || $0.hasPrefix("::warning file=") })
            }
        }
    }

    @Test func malformedTrustAndSecretFlagsAreUsageErrors() throws {
        let text = Self.manifest()
        let scheme = try Self.validate(text, ["--trust-host", "http://127.0.0.1:9000/"])
        #expect(scheme.status == 2)
        #expect(scheme.stderr.contains("--trust-host takes HOST or HOST:PORT"))
        let name = try Self.validate(text, ["--secret-env", "NOT-A-NAME"])
        #expect(name.status == 2)
        #expect(name.stderr.contains("--secret-env takes an environment variable's name"))
        let noName = try Self.validate(text, ["--var", "=CANARY-aws-secret-7f3c9e"])
        #expect(noName.status == 2)
        Self.expectNoCanary(noName)
    }
}
