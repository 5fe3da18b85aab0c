import Foundation
import Manifest
import Testing

/// Issue #12: text from the manifest (keys, values, stage names) is inert in every diagnostic format.
@Suite struct InertDiagnosticsTests {
    /// Keys and values with a newline that would start a forged annotation, a terminal escape and a bidi override.
    static let hostile = """
        version: 1
        name: x
        "stagse\\n::error file=ci.yml,line=1::forged": {}
        "\\e]0;pwned\\a\\u202Ekey": 1
        stages:
          "bad name\\n::warning::forged": { type: frames, from: ./f/ }
          film: { type: merge, needs: [clips], mode: "copy\\r\\n::error::forged" }
        """

    @Test func controlCharactersAreEscapedInEveryFormat() throws {
        let result = load(Self.hostile)
        #expect(result.hasErrors)
        for diagnostic in result.diagnostics {
            #expect(!InertText.hasControlCharacters(diagnostic.message), "\(diagnostic.message)")
        }
        #expect(result.diagnostics.contains { $0.message.contains("stagse\\n::error file=ci.yml,line=1::forged") })
        #expect(result.diagnostics.contains { $0.message.contains("\\u{1B}]0;pwned\\u{7}\\u{202E}key") })
        for format in DiagnosticFormat.allCases {
            let output = DiagnosticRenderer.render([result], as: format)
            #expect(
                !output.contains("\u{1B}") && !output.contains("\u{07}") && !output.contains("\u{202E}"), "\(format)")
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(
                !lines.contains {
                    $0.hasPrefix("::error::forged") || $0.hasPrefix("::warning::forged")
                        || $0.hasPrefix("::error file=ci.yml")
                }, "\(format): \(output)")
            if format == .github {
                #expect(
                    lines.filter { !$0.isEmpty }.allSatisfy {
                        $0.hasPrefix("::error file=pipeline.yaml,") || $0.hasPrefix("::warning file=pipeline.yaml,")
                    },
                    "every line is one of runner's annotations: \(output)")
            }
            if format == .json {
                let document = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
                let messages =
                    (document?["diagnostics"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
                #expect(messages.count == result.diagnostics.count)
                #expect(messages.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1B}") })
            }
        }
    }

    @Test func aFileNameIsInertToo() {
        let result = ManifestLoader.load(
            bytes: Array("version: 1\n".utf8), file: "evil\n::error::forged.yaml", directory: "/tmp")
        for format in DiagnosticFormat.allCases {
            let output = DiagnosticRenderer.render([result], as: format)
            #expect(!output.split(separator: "\n").contains { $0.hasPrefix("::error::forged") }, "\(format): \(output)")
        }
    }
}
