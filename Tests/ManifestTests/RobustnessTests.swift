import Foundation
import Manifest
import TestSupport
import Testing

/// Mangled manifests: the loader never crashes, and every problem it reports has a position in the file.
@Suite struct RobustnessTests {
    static let fragments = [
        "${", "}", "{", "[", "]", ":", "- ", "&a ", "*a", "\t", "'", "\"", "\n", "  ", "? ",
        "!!int ", "|", ">", "#", "${vars.", "${env:X}", "..", "/", "\u{85}", "\u{2028}", "---\n",
        "<<: *a\n", "\u{FEFF}", "é", "🎬",
    ]

    @Test(arguments: [1, 2, 3, 4])
    func mutatedExamplesAlwaysGetPositionedDiagnostics(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let sources = [quickstart, runwayPipeline]
        for round in 0..<250 {
            var text = Array(sources[Int.random(in: 0..<sources.count, using: &random)].unicodeScalars)
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let at = Int.random(in: 0...text.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    text.insert(
                        contentsOf: RobustnessTests.fragments.randomElement(using: &random)!.unicodeScalars, at: at)
                case 1: text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...20, using: &random)))
                case 2: text.removeSubrange(at..<text.count)
                default: text.insert(contentsOf: text[at..<min(text.count, at + 30)], at: at)
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text)
            let yaml = String(view)
            let lineCount = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
            let result = load(yaml)
            #expect(
                result.pipeline != nil || !result.diagnostics.isEmpty,
                "seed \(seed) round \(round): no pipeline and no reason")
            for diagnostic in result.diagnostics {
                #expect(
                    (1...lineCount + 1).contains(diagnostic.position.line) && diagnostic.position.column >= 1,
                    "seed \(seed) round \(round): \(diagnostic) is outside the file")
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }
}
