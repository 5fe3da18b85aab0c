import Manifest
import Testing

@Suite struct RenderingTests {
    let result = load(quickstart.replacingOccurrences(of: "duration: 5", with: "duration: 7.5"))

    @Test func textIsFileLineColumnSeverityMessage() {
        let text = DiagnosticRenderer.render([result], as: .text)
        #expect(text.hasPrefix("pipeline.yaml:7:93: error: `stages.clips.duration` must be a whole number, not 7.5\n"))
        #expect(text.hasSuffix("pipeline.yaml: invalid (1 error)\n"))
    }

    @Test func githubFormatPrintsWorkflowAnnotations() {
        let text = DiagnosticRenderer.render([result], as: .github)
        #expect(
            text
                == "::error file=pipeline.yaml,line=7,col=93,title=runner validate::`stages.clips.duration` must be a whole number, not 7.5\n"
        )
    }

    @Test func jsonFormatCarriesPositionsAndCounts() {
        let json = DiagnosticRenderer.render([result, load(quickstart)], as: .json)
        #expect(json.contains("\"valid\": false"))
        #expect(json.contains("\"line\": 7"))
        #expect(json.contains("\"column\": 93"))
        #expect(json.contains("\"errors\": 1"))
    }

    @Test func validManifestSaysSo() {
        #expect(DiagnosticRenderer.render([load(quickstart)], as: .text) == "pipeline.yaml: valid\n")
    }
}
