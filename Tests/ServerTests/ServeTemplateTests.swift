import Foundation
import Manifest
import TestSupport
import Testing

@testable import Server

/// The template a request fills: its checks at start, and what a request may set.
@Suite struct ServeTemplateTests {
    static func template(provider: String = "", stage: String = "", clipsTo: String = "video-clips/${vars.user}/")
        throws -> (ServeTemplate, URL)
    {
        let folder = try temporaryFolder()
        let text = """
            version: 1
            name: t
            session: ${vars.session}
            vars: { user: nobody, session: first, prompt: move }
            providers:
              runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}"\(provider) }
            stages:
              frames: { type: frames, from: "s3://media/reference-frames/${vars.user}/" }
              clips: { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720", duration: 5, prompt: "${vars.prompt}", to: "s3://media/\(clipsTo)"\(stage) }
              film: { type: merge, needs: [clips] }
              publish: { type: publish, needs: [film], to: "s3://media/video-clips/${vars.user}/final_video_${session}.mp4" }
            """
        let path = folder.appendingPathComponent("serve.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return (try ServeTemplate(path: path.path, environment: ["RUNWAYML_API_SECRET": "key_0123456789"]), folder)
    }

    static func generate(_ pipeline: Pipeline) throws -> GenerateOptions {
        guard case .generate(let options)? = pipeline.stage(named: "clips")?.kind else {
            throw TestSetupError(description: "no generate stage")
        }
        return options
    }

    @Test func aRequestFillsTheVarsAndSetsRatioAndConcurrency() throws {
        let (template, folder) = try Self.template()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alice = try UserID("alice")
        let pipeline = try template.pipeline(
            for: RunVariables(user: alice, session: "s1", prompt: "Slow push-in", ratio: "9:16", concurrency: 4))
        let options = try Self.generate(pipeline)
        #expect(pipeline.session == "s1")
        #expect(options.prompt == "Slow push-in")
        #expect(options.ratio == Ratio(width: 720, height: 1280))
        // The provider leaves concurrency to the account: the request's batch size is taken as it is.
        #expect(options.concurrency == 4)
        #expect(options.to == .s3(bucket: "media", key: "video-clips/alice/"))
    }

    @Test func aTemplateThatDeclaresRatioAndConcurrencyGetsThemAsVariablesAsParsed() throws {
        let (template, folder) = try Self.template()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: template.path, encoding: .utf8)
            .replacingOccurrences(
                of: "vars: { user: nobody, session: first, prompt: move }",
                with: "vars: { user: nobody, session: first, prompt: move, ratio: \"1280:720\", concurrency: 1 }"
            )
            .replacingOccurrences(
                of: "prompt: \"${vars.prompt}\"",
                with: "prompt: \"${vars.prompt} at ${vars.ratio}, ${vars.concurrency} at once\"")
        try text.write(toFile: template.path, atomically: true, encoding: .utf8)
        let declaring = try ServeTemplate(path: template.path, environment: ["RUNWAYML_API_SECRET": "key_0123456789"])
        let request = RunVariables(
            user: try UserID("alice"), session: "s1", prompt: "Pan", ratio: " 9:16", concurrency: 3)
        #expect(try Self.generate(try declaring.pipeline(for: request)).prompt == "Pan at 720:1280, 3 at once")
        // Without them in the request, the template's own values.
        let plain = RunVariables(user: try UserID("alice"), session: "s1", prompt: "Pan")
        #expect(try Self.generate(try declaring.pipeline(for: plain)).prompt == "Pan at 1280:720, 1 at once")
    }

    @Test func theTemplatesOwnConcurrencyHoldsABatchSize() throws {
        let (fromProvider, first) = try Self.template(provider: ", concurrency: 2")
        defer { try? FileManager.default.removeItem(at: first) }
        let (fromStage, second) = try Self.template(stage: ", concurrency: 3")
        defer { try? FileManager.default.removeItem(at: second) }
        let request = RunVariables(user: try UserID("alice"), session: "s1", concurrency: 10)
        #expect(try Self.generate(try fromProvider.pipeline(for: request)).concurrency == 2)
        #expect(try Self.generate(try fromStage.pipeline(for: request)).concurrency == 3)
        let one = RunVariables(user: try UserID("alice"), session: "s1", concurrency: 1)
        #expect(try Self.generate(try fromStage.pipeline(for: one)).concurrency == 1)
    }

    @Test func badRequestValuesAreRefusedNamingTheField() throws {
        let (template, folder) = try Self.template()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alice = try UserID("alice")
        let cases: [(RunVariables, String)] = [
            (RunVariables(user: alice, session: "s1", ratio: "2:1"), "frameAspectRatio"),
            (RunVariables(user: alice, session: "s1", ratio: "wide"), "frameAspectRatio"),
            (RunVariables(user: alice, session: "s1", concurrency: 0), "batchSize"),
            (RunVariables(user: alice, session: "s1", prompt: String(repeating: "x", count: 1001)), "prompt"),
        ]
        for (request, field) in cases {
            #expect(throws: ServeError.self) { try template.pipeline(for: request) }
            do {
                _ = try template.pipeline(for: request)
            } catch {
                #expect(error.description.hasPrefix("`\(field)`"), "\(error)")
            }
        }
        for session in ["", "../x", "a/b", ".hidden", String(repeating: "s", count: 65), "a b"] {
            #expect(throws: ServeError.self, "\(session)") {
                try RunVariables.checkSession(session, field: "sessionId")
            }
        }
    }

    @Test func theExampleTemplateServesTheOriginalLayout() throws {
        let template = try ServeTemplate(
            path: PackagePaths.example("serve.yaml"), environment: ["RUNWAYML_API_SECRET": "key_0123456789"])
        let pipeline = try template.pipeline(for: RunVariables(user: try UserID("alice"), session: "launch"))
        let (_, frames) = try template.frames(for: try UserID("alice"))
        #expect(frames.from == .s3(bucket: "my-media", key: "reference-frames/alice/"))
        #expect(try Self.generate(pipeline).to == .s3(bucket: "my-media", key: "video-clips/alice/"))
        guard case .publish(let publish)? = pipeline.stage(named: "publish")?.kind else {
            throw TestSetupError(description: "no publish stage")
        }
        #expect(publish.to == .s3(bucket: "my-media", key: "video-clips/alice/final_video_launch.mp4"))
    }

    @Test func aTemplateWhoseFoldersIgnoreTheUserIsRefused() throws {
        #expect {
            _ = try Self.template(clipsTo: "video-clips/")
        } throws: { error in
            "\(error)".contains("`stages.clips.to` does not hold the user id as a folder of its own")
        }
    }
}
