import Foundation
import Manifest
import Stages
import Testing

/// The pure core of keyframe chains (issue #18): which frames each clip joins, and what its key depends on. No I/O:
/// frames are artifacts with made-up digests.
@Suite struct ChainKeyTests {
    /// The generate stage `clips` of a manifest with `provider` (`runway` or `draft`) and `options` on the stage.
    static func stage(provider: String = "draft", _ options: String) throws -> GenerateStage {
        let model = provider == "runway" ? "model: veo3.1, duration: 4, " : "duration: 1, "
        let manifest = """
            version: 1
            name: keys
            providers:
              draft: { type: kenburns }
              runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}" }
            stages:
              frames: { type: frames, from: ./frames/ }
              clips: { type: generate, needs: [frames], provider: \(provider), \(model)\(options)to: ./clips/ }
            """
        let loaded = ManifestLoader.load(
            bytes: Array(manifest.utf8), file: "pipeline.yaml", directory: "/work/project",
            options: ManifestOptions(environment: ["RUNWAYML_API_SECRET": "key"]))
        let pipeline = try #require(loaded.pipeline, "\(loaded.diagnostics)")
        let clips = try #require(pipeline.stage(named: "clips"))
        guard case .work(let work) = try StageRegistry.stage(for: clips, in: pipeline),
            let generate = work as? GenerateStage
        else { throw CancellationError() }
        return generate
    }

    /// Frames named `frame_NN.png` whose contents are `contents[i]` (any distinct strings).
    static func frames(_ contents: [String]) -> [Artifact] {
        contents.enumerated().map { index, content in
            let name = String(format: "frame_%02d.png", index + 1)
            return Artifact(
                name: name, location: .local(path: "/work/project/frames/\(name)"), size: 100,
                digest: .sha256(String(repeating: content, count: 64).prefix(64).description))
        }
    }

    @Test(arguments: ["draft", "runway"])
    func changingOneFrameChangesExactlyTheTwoKeysThatTouchIt(provider: String) throws {
        let stage = try Self.stage(provider: provider, "chain: true, ")
        let before = try stage.work(for: Self.frames(["a", "b", "c", "d", "e"]))
        let after = try stage.work(for: Self.frames(["a", "b", "f", "d", "e"]))
        #expect(before.count == 4 && after.count == 4)
        let changed = zip(before, after).enumerated().filter { $1.0.key != $1.1.key }.map(\.offset)
        #expect(changed == [1, 2], "changed clips: \(changed)")
        #expect(before.map(\.name) == after.map(\.name))
        #expect(
            ContentKey.changes(from: before[1].key.inputs, to: after[1].key.inputs) == ["lastFrame"]
                && ContentKey.changes(from: before[2].key.inputs, to: after[2].key.inputs) == ["frame"])
    }

    @Test func theOrderOfTheTwoFramesIsPartOfTheKey() throws {
        let stage = try Self.stage(provider: "runway", "chain: true, ")
        let forward = try stage.work(for: Self.frames(["a", "b"]))
        let backward = try stage.work(for: Self.frames(["b", "a"]))
        #expect(forward.count == 1 && backward.count == 1)
        #expect(forward[0].key != backward[0].key)
    }

    @Test func aStageWithoutChainKeepsItsKeysAndNamesAndChainFalseIsTheSame() throws {
        let frames = Self.frames(["a", "b", "c"])
        let plain = try Self.stage("").work(for: frames)
        let off = try Self.stage("chain: false, ").work(for: frames)
        #expect(plain.map(\.key) == off.map(\.key))
        #expect(plain.map(\.name) == ["frame_01.png", "frame_02.png", "frame_03.png"])
        #expect(plain.allSatisfy { $0.key.inputs["lastFrame"] == nil && $0.key.inputs["lastSeed"] == nil })
        #expect(plain.allSatisfy { $0.lastFrame == nil })
    }

    @Test func aLoopMakesOneClipPerFrameEndingOnTheFirst() throws {
        let work = try Self.stage("chain: loop, ").work(for: Self.frames(["a", "b", "c"]))
        #expect(
            work.map(\.name) == [
                "frame_01.png -> frame_02.png", "frame_02.png -> frame_03.png", "frame_03.png -> frame_01.png",
            ])
        let single = try Self.stage("chain: loop, ").work(for: Self.frames(["a"]))
        #expect(single.map(\.name) == ["frame_01.png -> frame_01.png"])
    }

    @Test func oneFrameCannotChainForward() throws {
        let stage = try Self.stage("chain: true, ")
        #expect(throws: StageError.chainTooShort(stage: "clips", frame: "frame_01.png")) {
            _ = try stage.work(for: Self.frames(["a"]))
        }
        #expect(try stage.work(for: []).isEmpty)
    }

    /// A chained Ken Burns clip ends on the next frame's opening view, which that frame's seed chooses: an override's
    /// seed on the next frame changes the clip before it too.
    @Test func kenBurnsKeysHoldTheSeedOfTheFrameTheClipEndsOn() throws {
        let frames = Self.frames(["a", "b", "c"])
        let plain = try Self.stage("chain: true, ").work(for: frames)
        let seeded = try Self.stage("chain: true, overrides: [{ match: \"frame_02*\", seed: 99 }], ").work(for: frames)
        #expect(plain[0].key != seeded[0].key && plain[1].key != seeded[1].key)
        #expect(seeded[0].key.inputs["lastSeed"] == "99" && seeded[1].key.inputs["seed"] == "99")
        #expect(seeded[0].lastSeed == 99)
    }

    /// A clip's prompt, seed and duration are its first frame's (overrides match the first frame's name).
    @Test func aChainedClipTakesItsFirstFramesOverrides() throws {
        let stage = try Self.stage(
            provider: "runway",
            "chain: true, prompt: \"wide\", overrides: [{ match: \"frame_02*\", prompt: \"close\" }], ")
        let work = try stage.work(for: Self.frames(["a", "b", "c"]))
        #expect(work.map(\.prompt) == ["wide", "close"])
        #expect(work.map(\.estimatedCredits) == [80, 80])
    }
}
