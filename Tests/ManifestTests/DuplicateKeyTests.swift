import Foundation
import Manifest
import Testing

/// Issue #12: the loader finds every duplicate key in one parse, so a hostile file cannot make it compose again and
/// again (a 4 MiB manifest with 50 repeats took about 50 s).
@Suite struct DuplicateKeyTests {
    @Test func everyRepeatIsReportedAtItsOwnPositionInBlockFlowAndQuotedKeys() {
        let yaml = """
            version: 1
            name: x
            stages:
              frames: { type: frames, from: ./a/, "from": ./b/, from: ./c/ }
              more:
                type: frames
                'from': ./x/
                from: ./y/
                "include": "*.png"
                include: "*.jpg"
            "name": y
            name: z
            """
        let result = load(yaml)
        let duplicates = result.diagnostics.filter { $0.message.contains("is defined twice") }
        #expect(
            duplicates.map { [$0.position.line, $0.position.column] } == [
                [4, 39], [4, 53], [8, 5], [10, 5], [11, 1], [12, 1],
            ],
            "\(duplicates)")
        #expect(duplicates.map(\.message).allSatisfy { $0.hasSuffix("; a key may appear once") })
        #expect(
            duplicates[0].message == "`from` is defined twice in this mapping (first at line 4); a key may appear once")
        #expect(duplicates[2].message.contains("`from` is defined twice in this mapping (first at line 7)"))
        #expect(duplicates[5].message.contains("(first at line 2)"))
        #expect(
            result.diagnostics.filter { $0.severity == .error }.count == duplicates.count,
            "hiding the repeats adds no other problem: \(result.diagnostics)")
    }

    @Test func aRepeatWithAnAnchorOrTagKeepsThem() {
        let yaml = "version: 1\nname: x\nstages: {}\nvars:\n  a: 1\n  &k a: 2\n  !!str a: 3\n  b: *k\n"
        let result = load(yaml)
        #expect(
            result.diagnostics.filter { $0.message.contains("`a` is defined twice") }.count == 2,
            "\(result.diagnostics)")
        #expect(
            result.diagnostics.filter { $0.severity == .error }.count == 2,
            "the anchor stays defined and the tag stays a tag: \(result.diagnostics)")
    }

    /// A document with another error is composed by Yams (for its message), after the repeats are hidden.
    @Test func repeatsAreReportedBesideAnotherErrorToo() {
        let yaml = "version: 1\nname: x\nvars:\n  a: 1\n  &k a: 2\n  b: *k\n  c: *nowhere\nname: y\nstages: {}\n"
        let result = load(yaml)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(
            errors.filter { $0.message.contains("is defined twice") }.map { [$0.position.line, $0.position.column] }
                == [[5, 3], [8, 1]],
            "\(errors)")
        #expect(errors.count == 3, "the repeats and the undefined alias, nothing about the anchor `k`: \(errors)")
        #expect(errors.contains { $0.message.contains("names no anchor") && $0.position.line == 7 })
    }

    @Test func manyRepeatsOfAOneLetterKeyAreAllReported() {
        let repeats = 5000
        let yaml = "version: 1\nname: x\nstages: {}\nvars:\n" + String(repeating: "  a: 1\n", count: repeats + 1)
        let result = load(yaml)
        let duplicates = result.diagnostics.filter { $0.message.contains("`a` is defined twice") }
        #expect(duplicates.count == repeats)
        #expect(duplicates.last?.position.line == 5 + repeats)
    }

    @Test func repeatsInsideAComplexKeyOrSequenceAreSeparateMappings() {
        let yaml = "version: 1\nname: x\nstages: {}\nvars:\n  a: 1\nlist:\n  - { a: 1 }\n  - { a: 2 }\n"
        #expect(!load(yaml).diagnostics.contains { $0.message.contains("defined twice") })
    }

    /// The bench's shape: the first `count` keys again after `others` more. The old loader composed once per repeat.
    static func repeatedKeys(count: Int, others: Int) -> String {
        var text = "version: 1\nname: x\nstages: {}\nvars:\n"
        for index in 0..<count { text += "  key\(index): first\n" }
        for index in 0..<others { text += "  other\(index): value number \(index)\n" }
        for index in 0..<count { text += "  key\(index): again\n" }
        return text
    }

    @Test(.timeLimit(.minutes(1)))
    func fiftyRepeatsInALargeFileCostOneParse() {
        let yaml = Self.repeatedKeys(count: 50, others: 20_000)
        let started = ContinuousClock.now
        let result = load(yaml)
        let elapsed = ContinuousClock.now - started
        #expect(result.diagnostics.filter { $0.message.contains("is defined twice") }.count == 50)
        // A debug build composes this ~0.6 MB file in well under a second; fifty composes took over ten.
        #expect(elapsed < .seconds(6), "loading took \(elapsed)")
    }
}
