import Manifest
import Testing

/// Issue #12: a secret never becomes text in a diagnostic, and flows only into `apiKey` and `webhookSecret`.
@Suite struct SecretFlowTests {
    // MARK: - Diagnostics show references, never values

    @Test func aFolderWithoutItsSlashShowsTheReferenceNotTheValue() throws {
        let result = loadUntrusted(untrustedManifest(from: "./${env:AWS_SECRET_ACCESS_KEY}"))
        expectNoCanary(result)
        let folder = try #require(diagnostic(result, containing: "names a folder"))
        #expect(folder.message.contains("write \"./${env:AWS_SECRET_ACCESS_KEY}/\""))
        expectError(
            result,
            "`${env:AWS_SECRET_ACCESS_KEY}` holds a secret and cannot be used in `stages.frames.from`, "
                + "which is sent, printed and recorded; only a provider's `apiKey` and `webhookSecret` take secrets",
            at: 9, 14)
    }

    @Test func aFolderOfAPlainVariableShowsTheReferenceToo() throws {
        let result = loadUntrusted(
            untrustedManifest(from: "./${env:FRAME_DIR}"), environment: ["FRAME_DIR": "plain-value-9x8y7z"])
        let folder = try #require(diagnostic(result, containing: "names a folder"))
        #expect(folder.message.contains("write \"./${env:FRAME_DIR}/\""))
        #expect(!result.diagnostics.contains { $0.message.contains("plain-value-9x8y7z") })
    }

    @Test func fieldsThatWereAbbreviatedShowTheReference() {
        let cases: [(top: String, publish: String, environment: [String: String], fragment: String)] = [
            (
                "session: \"${env:SESSION_NAME}\"", "", ["SESSION_NAME": "not an identifier 0123456789 abcdefghij"],
                "`session` is \"${env:SESSION_NAME}\" once interpolated"
            ),
            (
                "", "    webhook: \"${env:HOOK_URL}\"", ["HOOK_URL": "ftp://hooks.example/0123456789abcdefghijklmnop"],
                "`stages.publish.webhook` must be an http:// or https:// URL; it is \"${env:HOOK_URL}\""
            ),
            (
                "", "    webhook: \"${env:HOOK_URL}/x\"",
                ["HOOK_URL": "https://bad\\host.example/0123456789abcdefghijklmnop"],
                "it is \"${env:HOOK_URL}/x\""
            ),
        ]
        for item in cases {
            let result = loadUntrusted(
                untrustedManifest(top: item.top, publish: item.publish), environment: item.environment)
            #expect(diagnostic(result, containing: item.fragment) != nil)
            for value in item.environment.values {
                #expect(
                    !result.diagnostics.contains { $0.message.contains(String(value.prefix(12))) },
                    "\(result.diagnostics)")
            }
        }
    }

    @Test func anInvalidBucketFromTheEnvironmentIsDescribedWithoutItsName() throws {
        let result = loadUntrusted(
            untrustedManifest(from: "s3://${env:BUCKET}/frames/"), environment: ["BUCKET": "Hidden_Bucket_Name"])
        let error = try #require(diagnostic(result, containing: "does not name a valid S3 bucket"))
        #expect(error.message.contains("\"s3://${env:BUCKET}/frames/\" once interpolated"))
        #expect(!error.message.contains("Hidden_Bucket_Name"))
    }

    @Test func aModelFromTheEnvironmentIsShownAsItsReference() throws {
        let yaml = runwayPipeline.replacingOccurrences(of: "model: gen4_turbo", with: "model: ${env:MODEL}")
        let result = loadUntrusted(yaml, environment: ["MODEL": "no-such-model-xyz"])
        let error = try #require(diagnostic(result, containing: "does not offer"))
        #expect(error.message.contains("is \"${env:MODEL}\""))
        #expect(!error.message.contains("no-such-model-xyz"))
    }

    // MARK: - Every route a secret can travel

    /// One way a secret travels into a field that is printed, and where the error must be.
    struct Route: Sendable, CustomTestStringConvertible {
        let name: String
        var top = ""
        var from = "./frames/"
        var publish = ""
        var variables: [(String, String)] = []
        var environment: [String: String] = [:]
        var marked: [String] = []
        /// The message fragment naming the reference, and its line and column.
        let fragment: String
        let line: Int
        let column: Int
        var testDescription: String { name }
    }

    static let routes: [Route] = [
        Route(
            name: "directly", from: "./${env:AWS_SECRET_ACCESS_KEY}/",
            fragment: "`${env:AWS_SECRET_ACCESS_KEY}` holds a secret and cannot be used in `stages.frames.from`",
            line: 9, column: 14),
        Route(
            name: "with a default", from: "./${env:AWS_SESSION_TOKEN:-x}/",
            fragment: "`${env:AWS_SESSION_TOKEN:-x}` holds a secret and cannot be used", line: 9, column: 14),
        Route(
            name: "concatenated into the session", top: "session: \"run-${env:AWS_ACCESS_KEY_ID}-x\"",
            fragment: "`${env:AWS_ACCESS_KEY_ID}` holds a secret and cannot be used in `session`", line: 3, column: 15),
        Route(
            name: "through a variable", top: "vars: { folder: \"a${env:AWS_SESSION_TOKEN}\" }",
            from: "./${vars.folder}/",
            fragment:
                "`${vars.folder}` holds a secret (it comes from `${env:AWS_SESSION_TOKEN}`) and cannot be used in `stages.frames.from`",
            line: 9, column: 14),
        Route(
            name: "through a --var holding a secret's value", top: "vars: { user: alice }", from: "./${vars.user}/",
            variables: [("user", "x-CANARY-runway-key-3b9f7a2c1e")],
            fragment: "`${vars.user}` holds a secret (it comes from `--var user`, whose value holds a secret's value)",
            line: 9, column: 14),
        Route(
            name: "through a plain variable holding a secret's value", top: "session: \"${env:PLAIN_COPY}\"",
            environment: ["PLAIN_COPY": "CANARY-runway-key-3b9f7a2c1e"],
            fragment: "`${env:PLAIN_COPY}` holds a secret (its value is a secret's value)", line: 3, column: 11),
        Route(
            name: "a name marked by RUNNER_SECRET_ENV", top: "session: \"${env:DEPLOY_VALUE}\"",
            environment: ["DEPLOY_VALUE": "CANARY-marked-0d1e2f3a4b", "RUNNER_SECRET_ENV": "OTHER, DEPLOY_VALUE"],
            fragment: "`${env:DEPLOY_VALUE}` holds a secret and cannot be used in `session`", line: 3, column: 11),
        Route(
            name: "a name marked by --secret-env", top: "session: \"${env:DEPLOY_VALUE}\"",
            environment: ["DEPLOY_VALUE": "CANARY-flagged-9e8d7c6b5a"], marked: ["DEPLOY_VALUE"],
            fragment: "`${env:DEPLOY_VALUE}` holds a secret and cannot be used in `session`", line: 3, column: 11),
        Route(
            name: "a secret-looking name", top: "session: \"${env:MY_DEPLOY_TOKEN}\"",
            environment: ["MY_DEPLOY_TOKEN": "CANARY-token-1a2b3c4d5e"],
            fragment: "`${env:MY_DEPLOY_TOKEN}` holds a secret", line: 3, column: 11),
        Route(
            name: "a webhook URL", publish: "    webhook: \"https://hooks.example.com/${env:RUNWAYML_API_SECRET}\"",
            fragment: "`${env:RUNWAYML_API_SECRET}` holds a secret and cannot be used in `stages.publish.webhook`",
            line: 16, column: 41),
        Route(
            name: "a variable that also feeds the webhook secret",
            top: "vars: { hook: \"${env:HOOK_KEY}\" }", from: "./${vars.hook}/",
            publish: "    webhook: https://hooks.example.com/h\n    webhookSecret: ${vars.hook}",
            environment: ["HOOK_KEY": "CANARY-hook-8f7e6d5c4b"],
            fragment: "`${vars.hook}` holds a secret (it comes from `${env:HOOK_KEY}`)", line: 9, column: 14),
        Route(
            name: "a variable of the environment that also feeds the webhook secret",
            top: "session: \"${env:HOOK_KEY}\"",
            publish: "    webhook: https://hooks.example.com/h\n    webhookSecret: ${env:HOOK_KEY}",
            environment: ["HOOK_KEY": "CANARY-hook-8f7e6d5c4b"],
            fragment: "`${env:HOOK_KEY}` holds a secret and cannot be used in `session`", line: 3, column: 11),
    ]

    @Test(arguments: routes)
    func aSecretInAPrintedFieldIsAnErrorNamingTheReference(route: Route) {
        let yaml = untrustedManifest(top: route.top, from: route.from, publish: route.publish)
        let result = loadUntrusted(
            yaml, variables: route.variables, environment: route.environment, marked: route.marked)
        expectError(result, route.fragment, at: route.line, route.column)
        expectNoCanary(result, also: route.environment.values.filter { $0.contains("CANARY") })
        // The same holds when the variables are unset (validate in a job without secrets) for names alone.
        if route.variables.isEmpty && route.environment.isEmpty {
            let unset = ManifestLoader.load(
                bytes: Array(yaml.utf8), file: "pipeline.yaml", directory: "/work/project",
                options: ManifestOptions())
            #expect(unset.diagnostics.contains { $0.message.contains("holds a secret") }, "\(unset.diagnostics)")
        }
    }

    @Test func aSecretMayFeedTheAPIKeyAndWebhookSecretThroughAVariable() throws {
        let yaml =
            runwayPipeline
            .replacingOccurrences(of: "user: alice", with: "user: alice\n  key: \"${env:RUNWAYML_API_SECRET}\"")
            .replacingOccurrences(of: "apiKey: ${env:RUNWAYML_API_SECRET}", with: "apiKey: ${vars.key}")
            + "\n    webhook: https://hooks.example.com/done\n    webhookSecret: ${env:AWS_SESSION_TOKEN}\n"
        let result = loadUntrusted(yaml)
        let pipeline = try #require(result.pipeline, "\(result.diagnostics)")
        guard case .runway(let settings)? = pipeline.providers.first?.settings else {
            Issue.record("no runway provider")
            return
        }
        #expect(settings.apiKey.revealed() == canaries["RUNWAYML_API_SECRET"])
        #expect(pipeline.vars["key"] == nil, "a variable carrying a secret is not handed on as plain text")
        #expect(pipeline.vars["user"] == "alice")
        expectNoCanary(result)
    }

    @Test func theListOfMarkedNamesIsNotItselfASecret() throws {
        let result = loadUntrusted(
            untrustedManifest(top: "session: \"${env:DEPLOY_VALUE}\""),
            environment: ["DEPLOY_VALUE": "CANARY-marked-0d1e2f3a4b", "RUNNER_SECRET_ENV": "DEPLOY_VALUE"])
        expectError(result, "`${env:DEPLOY_VALUE}` holds a secret and cannot be used in `session`", at: 3, 11)
        #expect(!result.diagnostics.contains { $0.message.contains("<redacted>") }, "\(result.diagnostics)")
    }

    @Test func aPlainValueIsNotTakenForASecret() throws {
        let yaml = untrustedManifest(top: "session: \"${env:RUN_NAME}\"")
        let result = loadUntrusted(yaml, environment: ["RUN_NAME": "nightly-7"])
        #expect(result.pipeline?.session == "nightly-7", "\(result.diagnostics)")
    }
}

/// What `runner serve` scrubs from the text that hands out presigned links: every secret but what a link carries by
/// design (the access key id, a session token), so that the links work and the secret key never shows.
@Suite struct PresignedLinkScrubbingTests {
    static let environment = [
        "AWS_ACCESS_KEY_ID": "AKIAREVIEWUSER000001", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIsecretkey0001",
        "AWS_SESSION_TOKEN": "FQoGZXIvYXdzEXAMPLETOKEN0001", "RUNWAYML_API_SECRET": "key_runway_0123456789",
        "DEPLOY_TOKEN": "deploy-token-0001",
    ]

    @Test func aLinkKeepsItsCredentialAndTokenAndEveryOtherSecretIsScrubbed() {
        let secrets = SecretValues(environment: Self.environment)
        let linked = secrets.keepingPresignedLinkCredentials(of: Self.environment)
        let link =
            "https://b.s3.amazonaws.com/k.mp4?X-Amz-Credential=AKIAREVIEWUSER000001%2F20261130%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN0001&X-Amz-Signature=abc"
        #expect(linked.scrub(link) == link)
        // The plain scrubbing still takes them out: only text that hands out links keeps them.
        #expect(!secrets.scrub(link).contains("AKIAREVIEWUSER000001"))
        for secret in ["wJalrXUtnFEMIsecretkey0001", "key_runway_0123456789", "deploy-token-0001"] {
            #expect(linked.scrub("error: \(secret) leaked") == "error: <redacted> leaked", "\(secret)")
        }
    }
}
