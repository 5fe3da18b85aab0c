import Manifest
import Testing

/// A generate stage's `clipName`: the patterns taken and the names they give, each refused pattern with its reason
/// at the value's line and column, and the field in the schema and reference.
@Suite struct ClipNameTests {
    @Test(arguments: [
        ("{frame}-{key}.mp4", "frame_01-0a1b2c3d.mp4"),
        ("{frame}_video_clip.mp4", "frame_01_video_clip.mp4"),
        ("clip_{key}_{frame}.mp4", "clip_0a1b2c3d_frame_01.mp4"),
        ("{frame}.mp4", "frame_01.mp4"),
    ])
    func aPatternGivesEachClipItsName(pattern: String, expected: String) throws {
        let name = try ClipName.parse(pattern).get()
        #expect(name.fileName(frame: "frame_01", key: "0a1b2c3d") == expected)
        #expect(name.holdsKey == pattern.contains("{key}"))
    }

    @Test func theStandardNameIsTheFrameAndTheKey() throws {
        #expect(ClipName.standard == (try ClipName.parse("{frame}-{key}.mp4").get()))
        #expect(ClipName.standard.fileName(frame: "a", key: "12345678") == "a-12345678.mp4")
    }

    @Test(arguments: [
        ("video_clip.mp4", ClipNameProblem.noFrame),
        ("{key}.mp4", .noFrame),
        ("{frame}_clip.mov", .notMP4),
        ("{frame}_clip", .notMP4),
        ("clips/{frame}.mp4", .character("/")),
        ("..\\{frame}.mp4", .character("\\")),
        ("{frame} clip.mp4", .character(" ")),
        ("{frame}_é.mp4", .character("é")),
        ("{user}_{frame}.mp4", .unknownPlaceholder("user")),
        ("{frame.mp4", .unclosedBrace),
        (".{frame}.mp4", .hidden),
        ("{frame}" + String(repeating: "x", count: 200) + ".mp4", .tooLong(211)),
    ])
    func aPatternThatCannotNameClipsIsRefusedWithItsReason(pattern: String, problem: ClipNameProblem) {
        #expect(throws: problem) { try ClipName.parse(pattern).get() }
    }

    static func manifest(clipName: String) -> String {
        quickstart.replacingOccurrences(of: "duration: 5, ", with: "duration: 5, clipName: \"\(clipName)\", ")
    }

    @Test func decodedOntoTheStage() throws {
        let result = load(Self.manifest(clipName: "{frame}_video_clip.mp4"))
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        guard case .generate(let options)? = result.pipeline?.stage(named: "clips")?.kind else {
            Issue.record("no generate stage: \(result.diagnostics)")
            return
        }
        #expect(options.clipName.pattern == "{frame}_video_clip.mp4")
    }

    @Test func withoutClipNameTheStandardNameIsUsed() throws {
        guard case .generate(let options)? = load(quickstart).pipeline?.stage(named: "clips")?.kind else {
            Issue.record("no generate stage")
            return
        }
        #expect(options.clipName == .standard)
    }

    @Test func aBadPatternIsAnErrorAtItsValue() throws {
        let yaml = Self.manifest(clipName: "out/{frame}.mp4")
        let line = try #require(yaml.split(separator: "\n").firstIndex { $0.contains("clipName") })
        let text = yaml.split(separator: "\n")[line]
        let column = try #require(text.range(of: "\"out/")).lowerBound
        expectError(
            load(yaml),
            "`stages.clips.clipName` holds \"/\"; a clip name is letters, digits, '_', '.', '-' and the placeholders "
                + "{frame} and {key} (folders belong in `to`)",
            at: line + 1, text.distance(from: text.startIndex, to: column) + 1)
    }

    @Test func variablesAreFilledAndTheirValuesCheckedAsWrittenTextIs() throws {
        let yaml = Self.manifest(clipName: "{frame}_${vars.tag}.mp4").replacingOccurrences(
            of: "name: quickstart\n", with: "name: quickstart\nvars:\n  tag: v2\n")
        guard case .generate(let options)? = load(yaml).pipeline?.stage(named: "clips")?.kind else {
            Issue.record("no generate stage: \(load(yaml).diagnostics)")
            return
        }
        #expect(options.clipName.fileName(frame: "f", key: "k") == "f_v2.mp4")
        let escaping = load(yaml, variables: [("tag", "../../x")])
        #expect(
            escaping.diagnostics.contains { $0.severity == .error && $0.message.contains("holds \"/\"") },
            "\(escaping.diagnostics)")
    }

    @Test func theReferenceDescribesIt() {
        let reference = MarkdownReference.manifest()
        #expect(reference.contains("clipName"), "clipName is missing from the reference")
        #expect(reference.contains("{frame}_video_clip.mp4"))
    }
}
