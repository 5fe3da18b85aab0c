/// How diagnostics are printed.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `FILE:LINE:COL: error: message`, one a line.
    case text
    /// One JSON document.
    case json
    /// GitHub Actions workflow annotations.
    case github
}

/// Prints the results of reading one or more manifests.
public enum DiagnosticRenderer {
    /// The output for `results`, in `format`.
    public static func render(_ results: [ManifestResult], as format: DiagnosticFormat) -> String {
        switch format {
        case .text: return text(results)
        case .json: return json(results).serialized() + "\n"
        case .github: return github(results)
        }
    }

    static func text(_ results: [ManifestResult]) -> String {
        var lines: [String] = []
        for result in results {
            lines += result.diagnostics.map(\.description)
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            let warnings = result.diagnostics.count - errors
            let counts = [plural(errors, "error"), plural(warnings, "warning")].filter { !$0.hasPrefix("0 ") }
            lines.append(
                errors == 0
                    ? "\(InertText.escaped(result.file)): valid"
                        + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")
                    : "\(InertText.escaped(result.file)): invalid (\(counts.joined(separator: ", ")))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ results: [ManifestResult]) -> JSONValue {
        .object([
            ("valid", .bool(!results.contains { $0.hasErrors })),
            (
                "files",
                .array(
                    results.map { result in
                        let errors = result.diagnostics.filter { $0.severity == .error }.count
                        return .object([
                            ("file", .string(result.file)),
                            ("valid", .bool(errors == 0)),
                            ("errors", .int(errors)),
                            ("warnings", .int(result.diagnostics.count - errors)),
                        ])
                    })
            ),
            (
                "diagnostics",
                .array(
                    results.flatMap(\.diagnostics).map { diagnostic in
                        .object([
                            ("file", .string(diagnostic.position.file)),
                            ("line", .int(diagnostic.position.line)),
                            ("column", .int(diagnostic.position.column)),
                            ("severity", .string(diagnostic.severity.rawValue)),
                            ("message", .string(diagnostic.message)),
                        ])
                    })
            ),
        ])
    }

    static func github(_ results: [ManifestResult]) -> String {
        results.flatMap(\.diagnostics).map { diagnostic in
            let position = diagnostic.position
            return
                "::\(diagnostic.severity.rawValue) file=\(escapeProperty(InertText.escaped(position.file))),line=\(position.line),"
                + "col=\(position.column),title=runner validate::\(escapeData(diagnostic.message))"
        }.joined(separator: "\n") + (results.allSatisfy(\.diagnostics.isEmpty) ? "" : "\n")
    }

    /// Workflow-command escaping of a message.
    static func escapeData(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r\n": "%0D%0A", "\r": "%0D", "\n": "%0A"])
    }

    /// Workflow-command escaping of a property value.
    static func escapeProperty(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r\n": "%0D%0A", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

extension String {
    /// The text with each character in `table` replaced by its value, in one pass.
    func replacingAll(_ table: [Character: String]) -> String {
        var output = ""
        for character in self {
            if let replacement = table[character] { output += replacement } else { output.append(character) }
        }
        return output
    }
}
