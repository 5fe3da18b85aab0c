import Foundation
import TestSupport
import Testing

@testable import Manifest

/// `EventComposer` replaced composing with Yams on the usual path: on every document it composes, it must give the
/// tree and the duplicate-key diagnostics that the Yams path (kept for documents with errors) gives.
@Suite struct ComposerAgreementTests {
    /// A node as text: kinds, values, styles and positions.
    static func render(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        switch node {
        case .scalar(let scalar):
            return
                "S(\(scalar.value.debugDescription),\(scalar.style),\(scalar.position.line):\(scalar.position.column))"
        case .sequence(let items, let position):
            return "L\(position.line):\(position.column)[" + items.map { render($0) }.joined(separator: ",") + "]"
        case .mapping(let entries, let position):
            // The Yams path keeps a hidden repeat under a private-use key; the loader skips those, so do we.
            let kept = entries.filter { !ShapeChecker.isMaskedKey($0.key.value) }
            return "M\(position.line):\(position.column){"
                + kept.map { render(.scalar($0.key)) + ":" + render($0.value) }
                .joined(separator: ",") + "}"
        }
    }

    /// Compares the two paths on `yaml`; false when the event composer leaves the document to Yams.
    @discardableResult
    static func expectAgreement(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let bytes = Array(yaml.utf8)
        guard case .composed(let root, let diagnostics) = EventComposer(file: "f.yaml").compose(bytes) else {
            return false
        }
        let source = SourceText(file: "f.yaml", text: yaml)
        let viaYams = YAMLLoader(file: "f.yaml").composeWithYams(source: source, text: yaml, bytes: bytes)
        if root == nil { return true }
        #expect(render(root) == render(viaYams.root), "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        #expect(
            Set(diagnostics.map(\.description)) == Set(viaYams.diagnostics.map(\.description)),
            "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        return true
    }

    @Test func examplesAndFixturesComposeAlike() throws {
        var texts = [quickstart, runwayPipeline, untrustedManifest(top: "vars: { a: &x [1, 2], b: *x }")]
        for name in ["quickstart.yaml", "multi-stage.yaml", "seed-workflow.yaml"] {
            texts.append(try String(contentsOfFile: PackagePaths.example(name), encoding: .utf8))
        }
        texts.append("a: 1\na: 2\n\"a\": 3\nb: { c: 1, c: 2 }\nd: [ {e: 1, e: 1} ]\n? f\n: 1\nf: 2\n")
        texts.append("k: |\n  block\n  text\nl: >\n  folded\nm: 'single'\nn: \"double\\tq\"\no: ~\np:\n")
        for text in texts { #expect(Self.expectAgreement(text)) }
    }

    @Test(arguments: [11, 12, 13, 14])
    func mutatedManifestsComposeAlike(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let fragments = [
            "a: 1\n", "a: 2\n", "  a: 3\n", "{a: 1, a: 2}", "&k ", "*k", "- ", ": ", "\"a\": ", "'a': ", "\n",
            "  ", "? ", "|\n", "!!str ", "[", "]", "{", "}", ",",
        ]
        var composed = 0
        for _ in 0..<300 {
            var text = Array([quickstart, runwayPipeline].randomElement(using: &random)!.unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0...text.count, using: &random)
                text.insert(contentsOf: fragments.randomElement(using: &random)!.unicodeScalars, at: at)
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text)
            if Self.expectAgreement(String(view)) { composed += 1 }
        }
        #expect(composed >= 30, "only \(composed) of 300 documents were composed by events: the comparison is too thin")
    }
}
