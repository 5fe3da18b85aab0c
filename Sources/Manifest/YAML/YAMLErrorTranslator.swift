import Yams

/// Turns libyaml's terse errors into positioned sentences that say what to fix.
struct YAMLErrorTranslator {
    let source: SourceText

    func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if let tab = tabIndentation(near: mark) {
                return Diagnostic(
                    .error, at: tab,
                    "a tab character indents this line; YAML indentation must use spaces")
            }
            var message = sentence(problem: problem, context: context?.text)
            if (context?.text ?? "").contains("flow"), source.line(mark.line).contains("${") {
                // `}` ends a flow mapping, even inside `${...}`: the usual cause of this error in a manifest.
                message += "; quote values that hold ${...} inside { } or [ ], as in to: \"./${vars.dir}/\""
            }
            return Diagnostic(.error, at: position(mark), message)
        case .reader(let problem, let offset, _, _):
            let at = offset.map { source.position(ofOffset: $0) } ?? source.position(line: 1, column: 1)
            return Diagnostic(.error, at: at, "the file cannot be read as YAML text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                .error, at: position(context.mark),
                "`\(duplicates.joined(separator: "`, `"))` is defined twice in this mapping; a key may appear once")
        default:
            return Diagnostic(.error, at: source.position(line: 1, column: 1), "the YAML could not be read: \(error)")
        }
    }

    private func position(_ mark: Mark) -> SourcePosition {
        source.position(line: max(mark.line, 1), column: max(mark.column, 1))
    }

    /// libyaml's problem text, reworded where a plainer sentence helps.
    private func sentence(problem: String, context: String?) -> String {
        if problem.contains("Maximum nesting level") {
            return "the YAML nests deeper than \(YAMLLoader.maximumNesting) levels; a manifest needs a handful"
        }
        if problem == "but found another document" {
            return "the file holds more than one YAML document (a second `---`); a manifest is one document"
        }
        if problem.contains("found undefined alias") {
            return "this alias names no anchor defined before it"
        }
        var text = problem
        if let context, !context.isEmpty { text = "\(text) (\(context))" }
        return "invalid YAML: \(text)"
    }

    /// The position of a tab in the indentation of the error's line or the line before it, if any.
    private func tabIndentation(near mark: Mark) -> SourcePosition? {
        for line in [mark.line, mark.line - 1] where line >= 1 {
            let text = source.line(line)
            var column = 1
            for character in text.unicodeScalars {
                if character == "\t" { return source.position(line: line, column: column) }
                if character != " " { break }
                column += 1
            }
        }
        return nil
    }
}
