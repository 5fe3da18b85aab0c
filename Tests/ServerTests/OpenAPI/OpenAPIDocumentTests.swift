import Foundation
import TestSupport
import Testing

@testable import Server

/// The OpenAPI document has one source, docs/openapi.json: the string the server answers with is generated from it
/// (scripts/update-openapi.sh), and it names every route the server lays out, no more and no fewer.
struct OpenAPIDocumentTests {
    static let file = PackagePaths.root.appendingPathComponent("docs/openapi.json")

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    @Test func theServedStringIsDocsOpenAPIJSON() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(
            OpenAPIDocument.json == text.trimmingCharacters(in: .newlines),
            "Sources/Server/Web/OpenAPIDocument.swift is not docs/openapi.json: run scripts/update-openapi.sh")
    }

    @Test func itIsOpenAPI31WithEveryReferenceResolved() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        let components = try #require(document["components"] as? [String: Any])
        let references = try NSRegularExpression(pattern: ##""\$ref": "#/components/(\w+)/(\w+)""##)
        let matches = references.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(matches.count > 20)
        for match in matches {
            let kind = String(text[Range(match.range(at: 1), in: text)!])
            let name = String(text[Range(match.range(at: 2), in: text)!])
            #expect((components[kind] as? [String: Any])?[name] != nil, "#/components/\(kind)/\(name) is not defined")
        }
    }

    /// The routes `RunnerServer.make` registers (`router.get("/path")`, `api.post(...)`), read from its source,
    /// against the document's paths and methods.
    @Test func everyRouteTheServerLaysOutIsDocumentedAndNoOther() throws {
        let source = try String(
            contentsOf: PackagePaths.root.appendingPathComponent("Sources/Server/RunnerServer.swift"), encoding: .utf8)
        // Each `router.METHOD(ARGUMENT) {` or `api.METHOD(ARGUMENT) {`; the argument a path literal or the original
        // API's path constant, in whatever wrapping (`RouterPath(...)`).
        let registration = try NSRegularExpression(
            pattern: #"\b(?:router|api)\.(get|post|put|patch|delete|head)\((.*?)\)\s*\{"#)
        var routes = Set<String>()
        for match in registration.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            let method = String(source[Range(match.range(at: 1), in: source)!])
            let argument = String(source[Range(match.range(at: 2), in: source)!])
            let path: String
            if argument.hasPrefix("\""), argument.hasSuffix("\"") {
                path = String(argument.dropFirst().dropLast())
            } else if argument.contains("OriginalAPI.path") {
                path = OriginalAPI.path
            } else {
                Issue.record("a route whose path this test cannot read: \(method)(\(argument))")
                continue
            }
            // Hummingbird writes a parameter `:id`; OpenAPI `{id}`.
            let openAPIPath = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            routes.insert("\(method.uppercased()) \(openAPIPath)")
        }
        #expect(routes.count >= 11, "the routes were not found in RunnerServer.swift: \(routes)")

        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete", "head"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(routes.subtracting(documented).isEmpty, "not in docs/openapi.json: \(routes.subtracting(documented))")
        #expect(documented.subtracting(routes).isEmpty, "not served: \(documented.subtracting(routes))")
    }
}
