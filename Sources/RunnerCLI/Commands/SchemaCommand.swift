import ArgumentParser
import Manifest

/// `runner schema`: the manifest format as JSON Schema (draft 2020-12).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the manifest format, for editors and CI.",
        discussion: """
            Examples:
              runner schema > manifest.schema.json
              runner schema --format markdown   # the key reference in docs/manifest.md
              # VS Code with the YAML extension: "yaml.schemas": { "manifest.schema.json": "pipelines/*.yaml" }
            """
    )

    /// What to print.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, markdown
    }

    @Option(help: "json (the JSON Schema) or markdown (the key reference of docs/manifest.md).")
    var format: Format = .json

    func run() {
        switch format {
        case .json: print(JSONSchema.manifest().serialized())
        case .markdown: print(MarkdownReference.manifest(), terminator: "")
        }
    }
}
