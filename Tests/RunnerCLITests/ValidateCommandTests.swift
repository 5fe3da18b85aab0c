import Foundation
import TestSupport
import Testing

@Suite struct ValidateCommandTests {
    @Test(arguments: ["quickstart.yaml", "multi-stage.yaml", "seed-workflow.yaml", "chained.yaml", "captions.yaml"])
    func examplesAreValid(name: String) throws {
        let output = try runner("validate", PackagePaths.example(name))
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("\(name): valid"))
    }

    @Test func invalidManifestExitsTwoWithPositionedErrors() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.yaml")
        try "version: 1\nname: bad\nstages:\n  frames: { type: frames, form: ./f/ }\n".write(
            to: file, atomically: true, encoding: .utf8)
        let output = try runner("validate", file.path)
        #expect(output.status == 2)
        #expect(
            output.stdout.contains(
                "\(file.path):4:27: error: unknown key `form` in `stages.frames` (a frames stage); did you mean `from`?"
            ))
        #expect(output.stdout.contains("\(file.path):4:11: error: `stages.frames` (a frames stage) needs `from`"))
    }

    @Test func oneInvalidFileAmongSeveralMakesTheRunFail() throws {
        let output = try runner("validate", PackagePaths.example("quickstart.yaml"), "/nonexistent/pipeline.yaml")
        #expect(output.status == 2)
        #expect(output.stdout.contains("/nonexistent/pipeline.yaml:1:1: error: no such file; check the path"))
        #expect(output.stdout.contains("quickstart.yaml: valid"))
    }

    @Test func jsonFormatIsOneDocument() throws {
        let output = try runner(
            "validate", "--format", "json", PackagePaths.example("seed-workflow.yaml"), environment: [:])
        #expect(output.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(document?["valid"] as? Bool == true)
        let diagnostics = document?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.first?["severity"] as? String == "warning")
        #expect(diagnostics?.first?["line"] as? Int == 19)
    }

    @Test func githubFormatPrintsAnnotations() throws {
        let output = try runner(
            "validate", "--format", "github", PackagePaths.example("seed-workflow.yaml"), environment: [:])
        #expect(
            output.stdout.hasPrefix(
                "::warning file=\(PackagePaths.example("seed-workflow.yaml")),line=19,col=13,title=runner validate::"))
    }

    @Test func requireEnvTurnsAnUnsetVariableIntoAnError() throws {
        let output = try runner(
            "validate", "--require-env", PackagePaths.example("seed-workflow.yaml"), environment: [:])
        #expect(output.status == 2)
        #expect(output.stdout.contains(":19:13: error: the environment variable RUNWAYML_API_SECRET is not set"))
        let withKey = try runner(
            "validate", "--require-env", PackagePaths.example("seed-workflow.yaml"),
            environment: ["RUNWAYML_API_SECRET": "sk-test-key"])
        #expect(withKey.status == 0, "\(withKey.stdout)")
    }

    @Test func varOverridesAreAppliedAndCheckedForPathSafety() throws {
        let good = try runner(
            "validate", PackagePaths.example("seed-workflow.yaml"), "--var", "user=alice", environment: [:])
        #expect(good.status == 0)
        let escaping = try runner(
            "validate", PackagePaths.example("seed-workflow.yaml"), "--var", "user=../bob", environment: [:])
        #expect(escaping.status == 2)
        #expect(
            escaping.stdout.contains("`${vars.user}` puts its value into `stages.frames.from`, and it contains `..`"))
        let unknown = try runner(
            "validate", PackagePaths.example("seed-workflow.yaml"), "--var", "usr=alice", environment: [:])
        #expect(unknown.status == 2)
        #expect(unknown.stdout.contains("did you mean `user`?"))
    }

    @Test func usageErrorsExitTwo() throws {
        let output = try runner("validate", "--format", "xml", PackagePaths.example("quickstart.yaml"))
        #expect(output.status == 2)
        #expect(output.stderr.contains("xml"))
        let malformedVar = try runner("validate", "--var", "novalue", PackagePaths.example("quickstart.yaml"))
        #expect(malformedVar.status == 2)
        #expect(malformedVar.stderr.contains("--var takes NAME=VALUE"))
    }

    @Test func secretNeverReachesTheOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try String(contentsOfFile: PackagePaths.example("seed-workflow.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "prompt: Smooth cinematic motion with natural lighting", with: "prompt: ${env:RUNWAYML_API_SECRET}")
        let file = folder.appendingPathComponent("leak.yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let secret = "sk-live-5ecret-value"
        for format in ["text", "json", "github"] {
            let output = try runner(
                "validate", "--format", format, file.path, environment: ["RUNWAYML_API_SECRET": secret])
            #expect(output.status == 2)
            #expect(output.stdout.contains("holds a secret"))
            #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
        }
    }

    @Test func versionIsPrinted() throws {
        let output = try runner("--version")
        #expect(output.status == 0)
        #expect(output.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
        let libraries = try runner("version")
        #expect(libraries.stdout.contains("libavformat"))
    }

    /// One executable does every command, and `validate` still never initialises FFmpeg: the runner binds its
    /// functions lazily (no BIND_NOW), so the loader binds none of libav's, swscale's or libheif's for it. `version`
    /// calls three, which shows that the check sees them.
    @Test func validateCallsNoMediaLibraryFunction() throws {
        func mediaBindings(_ arguments: String...) throws -> [Substring] {
            let output = try run(PackagePaths.runner, arguments, environment: ["LD_DEBUG": "bindings"])
            #expect(output.status == 0, "\(arguments): \(output.stdout)")
            return output.stderr.split(separator: "\n").filter { line in
                line.contains("/runner [0] to ")
                    && ["symbol `av", "symbol `sws_", "symbol `heif_"].contains { line.contains($0) }
            }
        }
        let validate = try mediaBindings("validate", PackagePaths.example("quickstart.yaml"))
        #expect(validate.isEmpty, "validate called \(validate.prefix(3))")
        #expect(try mediaBindings("version").count >= 3)
    }

    @Test func unknownCommandIsAUsageErrorAndHelpListsEveryCommand() throws {
        let output = try runner("no-such-command")
        #expect(output.status == 2)
        #expect(output.stderr.contains("no-such-command"))
        let help = try runner("--help")
        #expect(help.stdout.contains("version") && help.stdout.contains("apply"), "the help lists every command")
    }

    @Test func helpShowsExamples() throws {
        let output = try runner("--help")
        #expect(output.status == 0)
        #expect(output.stdout.contains("runner validate pipeline.yaml"))
    }
}
