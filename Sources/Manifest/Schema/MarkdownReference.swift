/// The key reference of docs/manifest.md, made from `ManifestShape` so that the docs cannot drift from the code.
public enum MarkdownReference {
    /// Markdown tables, one per mapping of the format.
    public static func manifest() -> String {
        var sections: [Section] = [Section(title: "Top level", path: "", shape: ManifestShape.root)]
        var output = ""
        var index = 0
        while index < sections.count {
            let section = sections[index]
            index += 1
            output += "### \(section.title)\n\n\(section.shape.summary)\n\n"
            output += "| key | type | required or default | example | meaning |\n| --- | --- | --- | --- | --- |\n"
            for field in section.shape.fields {
                let need =
                    field.required ? "required" : (field.defaultValue.map { "default: \(escape($0))" } ?? "optional")
                let example = field.example.map { "`\(escape($0))`" } ?? ""
                output +=
                    "| `\(field.name)` | \(typeName(field.shape)) | \(need) | \(example) | \(escape(field.summary)) |\n"
                sections += nested(field, in: section)
            }
            output += "\n"
        }
        return output
    }

    /// One table: a mapping of the format, where it sits, and which `type` it belongs to.
    private struct Section {
        let title: String
        let path: String
        let shape: ObjectShape
        var variant: String?
    }

    /// The mappings a field leads to, each with its own table.
    private static func nested(_ field: Field, in parent: Section) -> [Section] {
        let path = parent.path.isEmpty ? field.name : "\(parent.path).\(field.name)"
        let suffix = parent.variant.map { " (in a `\($0)` stage)" } ?? ""
        switch field.shape {
        case .object(let shape):
            return [Section(title: "`\(path)`\(suffix)", path: path, shape: shape, variant: parent.variant)]
        case .list(.object(let shape)), .textOrList(_, .object(let shape)):
            return [Section(title: "`\(path)[]` items\(suffix)", path: path, shape: shape, variant: parent.variant)]
        case .dictionary(.tagged(let tagged)):
            return tagged.variants.map {
                Section(
                    title: "`\(path).NAME` with `type: \($0.type)`", path: "\(path).NAME", shape: $0.shape,
                    variant: $0.type)
            }
        default:
            return []
        }
    }

    private static func typeName(_ shape: Shape) -> String {
        switch shape {
        case .text(let form):
            switch form {
            case .identifier: return "name"
            case .template: return "text"
            case .location: return "location"
            case .secret: return "secret"
            case .duration: return "duration"
            case .ratio: return "WIDTH:HEIGHT"
            case .size: return "WIDTHxHEIGHT"
            case .glob: return "glob"
            case .url: return "URL"
            case .decibels: return "dB"
            }
        case .integer(let min, let max):
            return "integer" + range(min.map(String.init), max.map(String.init))
        case .number(let min, let max):
            return "number" + range(min.map(format), max.map(format))
        case .seconds(let min, let max): return "seconds or duration" + range(format(min), format(max))
        case .boolean: return "boolean"
        case .choice(let words): return words.map { "`\($0)`" }.joined(separator: " \\| ")
        case .booleanOr(let words): return (["true", "false"] + words).map { "`\($0)`" }.joined(separator: " \\| ")
        case .constant(let value): return "`\(value)`"
        case .list: return "list"
        case .oneOrMany: return "name or list"
        case .textOrList(.location, _): return "location or list"
        case .textOrList: return "value or list"
        case .object: return "mapping"
        case .dictionary: return "mapping of names"
        case .tagged: return "mapping"
        case .scalar: return "text, number or boolean"
        }
    }

    private static func range(_ low: String?, _ high: String?) -> String {
        switch (low, high) {
        case (let low?, let high?): return " \(low)–\(high)"
        case (let low?, nil): return " ≥ \(low)"
        case (nil, let high?): return " ≤ \(high)"
        case (nil, nil): return ""
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int(number)) : String(number)
    }

    private static func escape(_ text: String) -> String {
        text.replacingAll(["|": "\\|", "\n": " "])
    }
}
