import Foundation
import TestSupport
import Testing

@Suite struct SchemaCommandTests {
    /// The schema printed by `runner schema`, written to a temporary file.
    private func schemaFile(in folder: URL) throws -> URL {
        let output = try runner("schema")
        #expect(output.status == 0)
        let file = folder.appendingPathComponent("manifest.schema.json")
        try output.stdout.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func examplesSatisfyTheSchemaUnderAnIndependentValidator() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = try schemaFile(in: folder)
        let examples = ["quickstart.yaml", "multi-stage.yaml", "seed-workflow.yaml", "chained.yaml", "captions.yaml"]
            .map(
                PackagePaths.example)
        let output = try run(
            "/usr/bin/env",
            [
                "python3",
                PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path,
                schema.path,
            ] + examples)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == examples.count)
    }

    @Test func schemaRejectsWhatValidateRejects() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = try schemaFile(in: folder)
        let bad = folder.appendingPathComponent("bad.yaml")
        try """
        version: 1
        name: x
        stages:
          clips: { type: generate, needs: [frames], provider: draft, to: ./c/, promt: typo, retries: 99 }
        """.write(to: bad, atomically: true, encoding: .utf8)
        let output = try run(
            "/usr/bin/env",
            [
                "python3",
                PackagePaths.root.appendingPathComponent("Tests/RunnerCLITests/Support/check_schema.py").path,
                schema.path, bad.path,
            ])
        #expect(output.status == 1)
        #expect(output.stdout.contains("promt"))
        #expect(output.stdout.contains("99"))
    }

    @Test func docsNameEveryKeyTheSchemaHas() throws {
        let output = try runner("schema")
        let schema = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        var keys = Set<String>()
        collectPropertyNames(schema, into: &keys)
        #expect(keys.count > 40, "the schema should describe every key; found \(keys.sorted())")
        let docs = try String(contentsOf: PackagePaths.root.appendingPathComponent("docs/manifest.md"), encoding: .utf8)
        let missing = keys.filter { !docs.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "docs/manifest.md does not name: \(missing.joined(separator: ", "))")
    }

    @Test func docsKeyReferenceIsTheGeneratedOne() throws {
        let output = try runner("schema", "--format", "markdown")
        #expect(output.status == 0)
        let docs = try String(contentsOf: PackagePaths.root.appendingPathComponent("docs/manifest.md"), encoding: .utf8)
        #expect(
            docs.contains(output.stdout), "docs/manifest.md's key reference is out of date: run scripts/update-docs.sh")
    }

    private func collectPropertyNames(_ value: Any, into keys: inout Set<String>) {
        if let object = value as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] { keys.formUnion(properties.keys) }
            for child in object.values { collectPropertyNames(child, into: &keys) }
        } else if let array = value as? [Any] {
            for child in array { collectPropertyNames(child, into: &keys) }
        }
    }
}
