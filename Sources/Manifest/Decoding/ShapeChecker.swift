/// Checks a YAML tree against a `Shape`: unknown and missing keys, types, enums, ranges and
/// literal formats. Every problem is collected; nothing stops at the first.
struct ShapeChecker {
    var diagnostics = Diagnostics()

    /// Whether a key is a placeholder the loader put over a duplicate key (already reported).
    static func isMaskedKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first else { return false }
        return (0xE000...0xEFFF).contains(first.value)
    }

    mutating func check(_ node: YAMLNode, against shape: Shape, path: String) {
        switch shape {
        case .text(let form):
            guard let scalar = scalar(node, path: path, expected: "text") else { return }
            checkForm(scalar, form: form, path: path)
        case .integer(let min, let max):
            guard let scalar = scalar(node, path: path, expected: "a whole number") else { return }
            switch scalar.kind {
            case .integer(let value):
                checkBounds(
                    Double(value), min: min.map(Double.init), max: max.map(Double.init),
                    path: path, at: scalar.position, shown: String(value))
            case .number(let value):
                diagnostics.error("`\(path)` must be a whole number, not \(value)", at: scalar.position)
            default:
                diagnostics.error("`\(path)` must be a whole number, not \(node.noun)", at: scalar.position)
            }
        case .number(let min, let max):
            guard let scalar = scalar(node, path: path, expected: "a number") else { return }
            switch scalar.kind {
            case .integer(let value):
                checkBounds(Double(value), min: min, max: max, path: path, at: scalar.position, shown: String(value))
            case .number(let value):
                checkBounds(value, min: min, max: max, path: path, at: scalar.position, shown: scalar.value)
            default:
                diagnostics.error("`\(path)` must be a number, not \(node.noun)", at: scalar.position)
            }
        case .seconds(let min, let max):
            let expected = "a number of seconds or a duration such as 500ms or 0.5s"
            guard let scalar = scalar(node, path: path, expected: expected) else { return }
            guard let seconds = DurationText.seconds(scalar.value) else {
                diagnostics.error(
                    "`\(path)` must be \(expected); it is \"\(YAMLNode.abbreviated(scalar.value))\"",
                    at: scalar.position)
                return
            }
            checkBounds(seconds, min: min, max: max, path: path, at: scalar.position, shown: scalar.value)
        case .boolean:
            guard let scalar = scalar(node, path: path, expected: "true or false") else { return }
            if case .boolean = scalar.kind { return }
            diagnostics.error("`\(path)` must be true or false, not \(node.noun)", at: scalar.position)
        case .booleanOr(let words):
            let expected = (["true", "false"] + words).joined(separator: ", ")
            guard let scalar = scalar(node, path: path, expected: expected) else { return }
            if case .boolean = scalar.kind { return }
            if !words.contains(scalar.value) {
                diagnostics.error(
                    "`\(path)` must be one of \(expected), not \"\(YAMLNode.abbreviated(scalar.value))\""
                        + Suggestion.phrase(for: scalar.value, among: words), at: scalar.position)
            }
        case .choice(let words):
            guard let scalar = scalar(node, path: path, expected: "one of \(words.joined(separator: ", "))") else {
                return
            }
            if !words.contains(scalar.value) {
                diagnostics.error(
                    "`\(path)` must be one of \(words.joined(separator: ", ")), not \"\(YAMLNode.abbreviated(scalar.value))\""
                        + Suggestion.phrase(for: scalar.value, among: words), at: scalar.position)
            }
        case .constant(let expected):
            guard let scalar = scalar(node, path: path, expected: "\(expected)") else { return }
            if case .integer(let value) = scalar.kind, value == expected { return }
            if case .integer = scalar.kind {
                diagnostics.error(
                    "unknown manifest version \(scalar.value); this runner reads version \(expected) (upgrade the runner, or write `version: \(expected)`)",
                    at: scalar.position)
            } else {
                diagnostics.error("`\(path)` must be the number \(expected), not \(node.noun)", at: scalar.position)
            }
        case .list(let item):
            guard case .sequence(let items, _) = node else {
                diagnostics.error("`\(path)` must be a list, not \(node.noun)", at: node.position)
                return
            }
            for (index, element) in items.enumerated() {
                check(element, against: item, path: "\(path)[\(index)]")
            }
        case .oneOrMany(let form):
            switch node {
            case .scalar:
                check(node, against: .text(form), path: path)
            case .sequence(let items, _):
                for (index, element) in items.enumerated() {
                    check(element, against: .text(form), path: "\(path)[\(index)]")
                }
            case .mapping:
                diagnostics.error("`\(path)` must be a name or a list of names, not a mapping", at: node.position)
            }
        case .textOrList(let form, let item):
            switch node {
            case .scalar:
                check(node, against: .text(form), path: path)
            case .sequence:
                check(node, against: .list(item), path: path)
            case .mapping:
                diagnostics.error("`\(path)` must be one value or a list, not a mapping", at: node.position)
            }
        case .object(let objectShape):
            guard let entries = mapping(node, path: path) else { return }
            checkObject(entries, shape: objectShape, at: node.position, path: path, describedAs: "`\(path)`")
        case .dictionary(let value):
            guard let entries = mapping(node, path: path) else { return }
            for entry in entries where !ShapeChecker.isMaskedKey(entry.key.value) {
                if !Identifier.isValid(entry.key.value) {
                    diagnostics.error(
                        "\"\(YAMLNode.abbreviated(entry.key.value))\" is not a valid name in `\(path)`: "
                            + "use letters, digits, `_`, `.` and `-`, starting with a letter or digit",
                        at: entry.key.position)
                }
                check(entry.value, against: value, path: "\(path).\(entry.key.value)")
            }
        case .tagged(let tagged):
            guard let entries = mapping(node, path: path) else { return }
            let types = tagged.variants.map(\.type)
            guard let typeEntry = entries.first(where: { $0.key.value == "type" }) else {
                diagnostics.error(
                    "`\(path)` has no `type`; it is one of \(types.joined(separator: ", "))", at: node.position)
                return
            }
            guard case .scalar(let typeScalar) = typeEntry.value, let variant = tagged.variant(typeScalar.value) else {
                let written = typeEntry.value.noun
                var name = ""
                if case .scalar(let scalar) = typeEntry.value { name = scalar.value }
                diagnostics.error(
                    "`\(path).type` must be one of \(types.joined(separator: ", ")), not \(written)"
                        + Suggestion.phrase(for: name, among: types), at: typeEntry.value.position)
                return
            }
            checkObject(
                entries, shape: variant, at: node.position, path: path,
                describedAs: "`\(path)` (a \(typeScalar.value) \(path.hasPrefix("providers") ? "provider" : "stage"))")
        case .scalar:
            _ = scalar(node, path: path, expected: "a value")
        }
    }

    private mutating func checkObject(
        _ entries: [YAMLEntry], shape: ObjectShape, at position: SourcePosition,
        path: String, describedAs description: String
    ) {
        let names = shape.fields.map(\.name)
        for entry in entries where !ShapeChecker.isMaskedKey(entry.key.value) {
            let key = entry.key.value
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard let field = shape.field(key) else {
                let suggestion = Suggestion.closest(to: key, among: names)
                let hint =
                    suggestion.map { "; did you mean `\($0)`?" }
                    ?? "; the keys here are \(names.map { "`\($0)`" }.joined(separator: ", "))"
                diagnostics.error(
                    "unknown key `\(key)` in \(path.isEmpty ? "the manifest" : description)\(hint)",
                    at: entry.key.position)
                continue
            }
            check(entry.value, against: field.shape, path: childPath)
        }
        let present = Set(entries.map(\.key.value))
        for field in shape.fields where field.required && !present.contains(field.name) {
            diagnostics.error(
                "\(path.isEmpty ? "the manifest" : description) needs `\(field.name)`: \(field.summary)",
                at: position)
        }
    }

    private mutating func checkBounds(
        _ value: Double, min: Double?, max: Double?, path: String,
        at position: SourcePosition, shown: String
    ) {
        func format(_ number: Double) -> String {
            number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
        switch (min, max) {
        case (let min?, let max?) where value < min || value > max:
            diagnostics.error("`\(path)` must be from \(format(min)) to \(format(max)); it is \(shown)", at: position)
        case (let min?, nil) where value < min:
            diagnostics.error("`\(path)` must be at least \(format(min)); it is \(shown)", at: position)
        case (nil, let max?) where value > max:
            diagnostics.error("`\(path)` must be at most \(format(max)); it is \(shown)", at: position)
        default:
            break
        }
    }

    /// Literal formats; interpolated text is checked after interpolation instead.
    private mutating func checkForm(_ scalar: YAMLScalar, form: TextForm, path: String) {
        let value = scalar.value
        switch form {
        case .identifier:
            if !Identifier.isValid(value) {
                diagnostics.error(
                    "`\(path)` is \"\(YAMLNode.abbreviated(value))\", which is not a valid name: "
                        + "use letters, digits, `_`, `.` and `-`, starting with a letter or digit", at: scalar.position)
            }
        case .ratio:
            if Ratio(value) == nil {
                diagnostics.error(
                    "`\(path)` must be WIDTH:HEIGHT in pixels, such as \"1280:720\"; it is \"\(YAMLNode.abbreviated(value))\"",
                    at: scalar.position)
            }
        case .size:
            if VideoSize(value) == nil {
                diagnostics.error(
                    "`\(path)` must be WIDTHxHEIGHT in pixels, such as 1280x720; it is \"\(YAMLNode.abbreviated(value))\"",
                    at: scalar.position)
            }
        case .duration:
            if DurationText.parse(value) == nil {
                diagnostics.error(
                    "`\(path)` must be a duration such as 500ms, 6s, 5m, 24h or 7d; it is \"\(YAMLNode.abbreviated(value))\"",
                    at: scalar.position)
            }
        case .decibels:
            if Decibels.parse(value) == nil {
                diagnostics.error(
                    "`\(path)` must be a gain in dB such as -6dB, 12dB or 0; it is \"\(YAMLNode.abbreviated(value))\"",
                    at: scalar.position)
            }
        case .glob, .template, .location, .secret, .url:
            if value.isEmpty {
                diagnostics.error("`\(path)` is empty; give it a value or remove it", at: scalar.position)
            }
        }
    }

    /// The node as a non-null scalar, or a diagnostic.
    private mutating func scalar(_ node: YAMLNode, path: String, expected: String) -> YAMLScalar? {
        guard case .scalar(let scalar) = node else {
            diagnostics.error("`\(path)` must be \(expected), not \(node.noun)", at: node.position)
            return nil
        }
        if case .null = scalar.kind {
            diagnostics.error("`\(path)` has no value; give it \(expected), or remove the key", at: scalar.position)
            return nil
        }
        return scalar
    }

    /// The node's entries, or a diagnostic when it is not a mapping.
    private mutating func mapping(_ node: YAMLNode, path: String) -> [YAMLEntry]? {
        guard case .mapping(let entries, _) = node else {
            if case .scalar(let scalar) = node, case .null = scalar.kind {
                diagnostics.error("`\(path)` has no value; give it a mapping, or remove the key", at: node.position)
            } else {
                diagnostics.error(
                    "`\(path)` must be a mapping (`key: value` lines), not \(node.noun)", at: node.position)
            }
            return nil
        }
        return entries
    }
}
