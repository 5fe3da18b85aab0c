import Testing

@testable import Manifest

@Suite struct ValueTests {
    @Test(arguments: [
        ("frame_03_*", "frame_03_a.png", true), ("frame_03_*", "frame_3_a.png", false),
        ("*.png", "a.png", true), ("*.png", "a.PNG", true), ("*.png", "a.png.txt", false),
        ("frame_0[1-3]*", "frame_02.jpg", true),
        ("frame_0[1-3]*", "frame_04.jpg", false), ("a?c", "abc", true), ("a?c", "ac", false),
        ("[!a]*", "b", true), ("[!a]*", "a", false), ("*", "", true), ("a*b*c", "aXbYc", true),
        ("a*b*c", "aXbY", false),
    ])
    func globMatchesWholeNamesIgnoringCase(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    @Test func ratioParsesOnlyTwoPositiveNumbers() {
        #expect(Ratio("1280:720") == Ratio(width: 1280, height: 720))
        #expect(Ratio("1280x720") == nil)
        #expect(Ratio("0:720") == nil)
        #expect(Ratio("-1:720") == nil)
        #expect(Ratio("1280:") == nil)
    }

    @Test func locationsParseS3AndLocalPaths() throws {
        #expect(try Location(parsing: "s3://bucket/a/b/") == .s3(bucket: "bucket", key: "a/b/"))
        #expect(try Location(parsing: "s3://bucket") == .s3(bucket: "bucket", key: ""))
        #expect(try Location(parsing: "./out/").isPrefix)
        #expect(try !Location(parsing: "s3://bucket/video.mp4").isPrefix)
        #expect(Location.local(path: "./out/").resolved(against: "/work") == .local(path: "/work/out/"))
        #expect(Location.s3(bucket: "b", key: "clips").appending("x.mp4") == .s3(bucket: "b", key: "clips/x.mp4"))
        #expect(throws: Location.ParseError.unsupportedScheme("gs")) { try Location(parsing: "gs://bucket/x") }
        #expect(throws: Location.ParseError.missingBucket("s3:///x")) { try Location(parsing: "s3:///x") }
        #expect(
            throws: Location.ParseError.invalidBucket(
                "My_Bucket", reason: "use lower-case letters, digits, '-' and '.' only")
        ) {
            try Location(parsing: "s3://My_Bucket/x")
        }
    }

    @Test func durationsParseEveryUnit() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("6s") == .seconds(6))
        #expect(DurationText.parse("1.5s") == .milliseconds(1500))
        #expect(DurationText.parse("5m") == .seconds(300))
        #expect(DurationText.parse("24h") == .seconds(86_400))
        #expect(DurationText.parse("7d") == .seconds(604_800))
        #expect(DurationText.parse("6") == nil)
        #expect(DurationText.parse("s") == nil)
        #expect(DurationText.parse("-5s") == nil)
    }

    @Test func suggestionFindsTyposButNotStrangers() {
        #expect(Suggestion.closest(to: "promt", among: ["prompt", "provider"]) == "prompt")
        #expect(Suggestion.closest(to: "mdoel", among: ["model", "mode"]) == "model")
        #expect(Suggestion.closest(to: "colour", among: ["version", "name", "stages"]) == nil)
    }

    @Test func stageGraphOrdersAndFindsCycles() {
        let chain = StageGraph(edges: [
            ("publish", ["film"]), ("film", ["clips"]), ("clips", ["frames"]), ("frames", []),
        ])
        #expect(chain.topologicalOrder() == ["frames", "clips", "film", "publish"])
        #expect(chain.firstCycle() == nil)
        #expect(chain.dependents(of: "clips") == ["film"])
        let loop = StageGraph(edges: [("a", ["b"]), ("b", ["c"]), ("c", ["a"])])
        #expect(loop.firstCycle() == ["a", "b", "c", "a"])
        #expect(loop.topologicalOrder() == nil)
    }

    @Test func longChainOfStagesDoesNotExhaustTheStack() {
        let edges = (0..<50_000).map { ("s\($0)", $0 == 0 ? [String]() : ["s\($0 - 1)"]) }
        let graph = StageGraph(edges: edges)
        #expect(graph.firstCycle() == nil)
        #expect(graph.topologicalOrder()?.count == 50_000)
    }

    @Test func jsonEscapesControlCharactersAndKeepsKeyOrder() {
        let value = JSONValue.object([
            ("b", .string("line\n\"q\"\u{1}")), ("a", .array([.int(1), .double(0.5), .null])),
        ])
        #expect(value.serialized(indent: 0) == #"{"b":"line\n\"q\"\u0001","a":[1,0.5,null]}"#)
    }

    @Test func githubAnnotationsEscapeTheirSpecialCharacters() {
        #expect(DiagnosticRenderer.escapeData("50% done\r\nnext") == "50%25 done%0D%0Anext")
        #expect(DiagnosticRenderer.escapeProperty("dir,a:b.yaml") == "dir%2Ca%3Ab.yaml")
    }

    @Test func catalogHasOneDefaultModelPerProvider() {
        #expect(ModelCatalog.defaultModel(for: .runway)?.name == "gen4_turbo")
        #expect(ModelCatalog.defaultModel(for: .kenburns)?.name == "kenburns")
        let gen4 = ModelCatalog.model(named: "gen4_turbo", for: .runway)
        #expect(gen4?.creditsPerSecond == 5)
        #expect(gen4?.ratios.accepts(Ratio(width: 1584, height: 672)) == true)
        #expect(gen4?.ratios.accepts(Ratio(width: 1280, height: 768)) == false)
        #expect(
            ModelCatalog.model(named: "kenburns", for: .kenburns)?.ratios.accepts(Ratio(width: 1281, height: 720))
                == false)
    }
}

struct LocationFoldingTests {
    @Test func relativePathsAreMadeAbsoluteWithDotSegmentsFolded() {
        #expect(Location.local(path: "../frames/").resolved(against: "/work/p") == .local(path: "/work/frames/"))
        #expect(Location.local(path: "./a/./b/../c.mp4").resolved(against: "/w/") == .local(path: "/w/a/c.mp4"))
        #expect(Location.local(path: "/abs/../x/").resolved(against: "/w") == .local(path: "/x/"))
        #expect(Location.local(path: "../../..").resolved(against: "/w") == .local(path: "/"))
        #expect(Location.s3(bucket: "b", key: "a/../b").resolved(against: "/w") == .s3(bucket: "b", key: "a/../b"))
    }

    @Test func durationsAreWrittenInTheirLargestWholeUnit() {
        #expect(DurationText.format(.seconds(86_400)) == "1d")
        #expect(DurationText.format(.seconds(7200)) == "2h")
        #expect(DurationText.format(.seconds(90)) == "90s")
        #expect(DurationText.format(.milliseconds(1500)) == "1500ms")
    }
}
