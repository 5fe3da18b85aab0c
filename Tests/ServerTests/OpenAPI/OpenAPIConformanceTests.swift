import Foundation
import TestSupport
import Testing

@testable import Server

/// schemathesis (from PyPI) against `runner serve` running with moto and the Runway double: it generates requests
/// for every operation of `/openapi.json` (the documented examples, boundary values, random ones, and the links from
/// a created run to its state, events and cancel) and checks each answer's status code, content type, headers and
/// body against the document. Any failure fails the test, with schemathesis' own report.
@Suite(.serialized)
struct OpenAPIConformanceTests {
    @Test func schemathesisFindsNoFailureAgainstTheRunningServer() async throws {
        // The documented examples' user has frames, so its generate_videos and runs make real clips.
        let project = try await ServeProject.make(users: ["user123": 2])
        defer { project.remove() }
        let tokens = try project.tokens(["conformance-token *"])
        let server = try await project.serve(["--tokens", tokens, "--wait", "30"])
        defer { server.stop() }

        let served = try await server.request("GET", "/openapi.json")
        #expect(served.status == 200)
        #expect(served.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(served.body == OpenAPIDocument.json)

        let report = project.folder.appendingPathComponent("schemathesis.xml")
        let result = try run(
            try Scratch.which("schemathesis"),
            [
                "run", server.base.appendingPathComponent("openapi.json").absoluteString,
                "--url", server.base.absoluteString,
                "--checks",
                "status_code_conformance,content_type_conformance,response_headers_conformance,"
                    + "response_schema_conformance",
                "--header", "Authorization: Bearer conformance-token",
                "--max-examples", "12", "--seed", "20", "--workers", "2", "--request-timeout", "90",
                "--generation-database", "none", "--no-color", "--report", "junit", "--report-junit-path", report.path,
            ], environment: ProcessInfo.processInfo.environment, in: project.folder)
        #expect(result.status == 0, "schemathesis found failures:\n\(result.stdout)\n\(result.stderr)")

        // It tested every documented operation (but the document itself, which it reads rather than tests), and
        // reported no failure or error for any.
        let xml = try String(contentsOf: report, encoding: .utf8)
        let caseName = try NSRegularExpression(pattern: #"<testcase name="((?:GET|POST) [^"]+)""#)
        let tested = Set(
            caseName.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)).compactMap {
                Range($0.range(at: 1), in: xml).map { String(xml[$0]) }
            })
        let paths = try #require(try OpenAPIDocumentTests.document()["paths"] as? [String: [String: Any]])
        let documented = Set(
            paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(tested == documented.subtracting(["GET /openapi.json"]), "schemathesis tested \(tested)")
        #expect(!xml.contains("<failure") && !xml.contains("<error"), "\(xml)")
    }
}
