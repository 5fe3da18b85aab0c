/// The JSON Schema (draft 2020-12) of the manifest format, made from `ManifestShape`.
public enum JSONSchema {
    /// The schema document `runner schema` prints.
    public static func manifest() -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("urn:runner:manifest:v1")),
            ("title", .string("runner pipeline manifest, version 1")),
        ]
        if case .object(let body) = object(ManifestShape.root) { members += body }
        return .object(members)
    }

    static func schema(for shape: Shape, summary: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)]
        switch shape {
        case .text(let form):
            members = text(form)
        case .integer(let min, let max):
            members = [("type", .string("integer"))]
            if let min { members.append(("minimum", .int(min))) }
            if let max { members.append(("maximum", .int(max))) }
        case .number(let min, let max):
            members = [("type", .string("number"))]
            if let min { members.append(("minimum", .double(min))) }
            if let max { members.append(("maximum", .double(max))) }
        case .seconds(let min, let max):
            let number = JSONValue.object([
                ("type", .string("number")), ("minimum", .double(min)), ("maximum", .double(max)),
            ])
            members = [("anyOf", .array([number, .object(text(.duration))]))]
        case .boolean:
            members = [("type", .string("boolean"))]
        case .choice(let words):
            members = [("type", .string("string")), ("enum", .array(words.map(JSONValue.string)))]
        case .booleanOr(let words):
            let word = JSONValue.object([("type", .string("string")), ("enum", .array(words.map(JSONValue.string)))])
            members = [("anyOf", .array([.object([("type", .string("boolean"))]), word]))]
        case .constant(let value):
            members = [("const", .int(value))]
        case .list(let item):
            members = [("type", .string("array")), ("items", schema(for: item))]
        case .oneOrMany(let form):
            let one = JSONValue.object(text(form))
            members = [("anyOf", .array([one, .object([("type", .string("array")), ("items", one)])]))]
        case .textOrList(let form, let item):
            members = [
                (
                    "anyOf",
                    .array([.object(text(form)), .object([("type", .string("array")), ("items", schema(for: item))])])
                )
            ]
        case .object(let objectShape):
            guard case .object(let body) = object(objectShape) else { return .null }
            members = body
        case .dictionary(let value):
            members = [
                ("type", .string("object")),
                ("propertyNames", .object([("pattern", .string(ManifestShape.identifierPattern))])),
                ("additionalProperties", schema(for: value)),
            ]
        case .tagged(let tagged):
            members = [
                ("type", .string("object")),
                ("description", .string(tagged.summary)),
                ("required", .array([.string("type")])),
                (
                    "properties",
                    .object([("type", .object([("enum", .array(tagged.variants.map { .string($0.type) }))]))])
                ),
                (
                    "allOf",
                    .array(
                        tagged.variants.map { variant in
                            .object([
                                (
                                    "if",
                                    .object([
                                        ("properties", .object([("type", .object([("const", .string(variant.type))]))]))
                                    ])
                                ),
                                ("then", object(variant.shape, typeConstant: variant.type)),
                            ])
                        })
                ),
            ]
        case .scalar:
            members = [("type", .array([.string("string"), .string("number"), .string("boolean")]))]
        }
        if let summary { members.insert(("description", .string(summary)), at: 0) }
        return .object(members)
    }

    private static func object(_ shape: ObjectShape, typeConstant: String? = nil) -> JSONValue {
        let properties: [(String, JSONValue)] = shape.fields.map { field in
            if field.name == "type", let typeConstant {
                return (
                    field.name, .object([("description", .string(field.summary)), ("const", .string(typeConstant))])
                )
            }
            return (field.name, schema(for: field.shape, summary: field.summary))
        }
        var members: [(String, JSONValue)] = [
            ("type", .string("object")),
            ("description", .string(shape.summary)),
            ("properties", .object(properties)),
        ]
        let required = shape.fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        members.append(("additionalProperties", .bool(false)))
        return .object(members)
    }

    private static func text(_ form: TextForm) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("type", .string("string"))]
        switch form {
        case .identifier: members.append(("pattern", .string(ManifestShape.identifierPattern)))
        case .duration: members.append(("pattern", .string("^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$")))
        case .ratio: members.append(("pattern", .string("^[0-9]+:[0-9]+$")))
        case .size: members.append(("pattern", .string("^[0-9]+[xX][0-9]+$")))
        case .url: members.append(("pattern", .string("^(https?://|\\$\\{)")))
        case .template, .location, .secret, .glob: members.append(("minLength", .int(1)))
        case .decibels:
            members = [
                ("type", .array([.string("number"), .string("string")])),
                ("pattern", .string(Decibels.pattern)),
            ]
        }
        return members
    }
}
