/// Resolves `${...}` references in manifest values, reporting each problem at its `${`.
struct Interpolator {
    /// Where a variable's value came from, for messages.
    enum VariableOrigin: Sendable {
        case manifest, commandLine
    }

    let source: SourceText
    var variables: [String: (value: String, origin: VariableOrigin)]
    let environment: [String: String]
    let requireEnvironment: Bool
    let name: String
    var session: String?
    var diagnostics = Diagnostics()
    /// Environment variables read by non-secret fields, to catch a secret's variable used where it would be printed.
    var plainEnvironmentUses: [(name: String, at: SourcePosition, path: String)] = []
    /// Environment variables that feed secret fields.
    var secretEnvironmentNames: Set<String> = []

    /// The result of resolving one value.
    struct Resolved {
        var value: String
        /// False when an unset environment variable left a hole: later checks of the value are skipped.
        var complete: Bool
    }

    /// Which references a value may use.
    struct Allowed: OptionSet {
        let rawValue: Int
        static let variables = Allowed(rawValue: 1)
        static let environment = Allowed(rawValue: 2)
        static let session = Allowed(rawValue: 4)
        static let name = Allowed(rawValue: 8)
        static let all: Allowed = [.variables, .environment, .session, .name]
    }

    /// Resolves a scalar's references. `pathSafe` rejects substituted values that could escape a key or path.
    mutating func resolve(_ scalar: YAMLScalar, path: String, allowed: Allowed = .all,
                          pathSafe: Bool = false, secret: Bool = false) -> Resolved? {
        let template = Template(parsing: scalar.value)
        var ok = true
        for problem in template.problems {
            diagnostics.error(problem.message, at: position(of: problem.occurrence, in: scalar))
            ok = false
        }
        var value = ""
        var complete = true
        for segment in template.segments {
            switch segment {
            case let .literal(text):
                value += text
            case let .reference(reference, occurrence):
                let at = position(of: occurrence, in: scalar)
                guard let substituted = substitute(reference, at: at, path: path, allowed: allowed, secret: secret) else {
                    ok = false
                    continue
                }
                guard let text = substituted.value else {
                    complete = false
                    continue
                }
                if pathSafe, let problem = PathSafety.problem(in: text) {
                    let shown = substituted.showable ? "\"\(YAMLNode.abbreviated(text))\"" : "its value"
                    diagnostics.error("`\(reference.written)` puts \(shown) into `\(path)`, and \(problem); "
                        + "a value that lands in a path is rejected, never cleaned", at: at)
                    ok = false
                }
                value += text
            }
        }
        return ok ? Resolved(value: value, complete: complete) : nil
    }

    /// The value of one reference (nil value: an unset environment variable), or nil after a diagnostic.
    private mutating func substitute(_ reference: Template.Reference, at position: SourcePosition, path: String,
                                     allowed: Allowed, secret: Bool) -> (value: String?, showable: Bool)? {
        switch reference {
        case let .variable(name):
            guard allowed.contains(.variables) else {
                diagnostics.error("`\(path)` cannot refer to vars; only ${env:NAME} and ${name} are allowed here", at: position)
                return nil
            }
            guard let variable = variables[name] else {
                let known = variables.keys.sorted()
                let hint = Suggestion.closest(to: name, among: known).map { "; did you mean ${vars.\($0)}?" }
                    ?? (known.isEmpty ? "; the manifest declares no vars" : "; declared: \(known.joined(separator: ", "))")
                diagnostics.error("unknown variable `\(name)` in `${vars.\(name)}`\(hint)", at: position)
                return nil
            }
            return (variable.value, true)
        case let .environment(name, fallback):
            guard allowed.contains(.environment) else {
                diagnostics.error("`\(path)` cannot refer to the environment", at: position)
                return nil
            }
            if secret { secretEnvironmentNames.insert(name) } else { plainEnvironmentUses.append((name, position, path)) }
            if let value = environment[name] { return (value, false) }
            if let fallback { return (fallback, true) }
            let message = "the environment variable \(name) is not set; `\(path)` needs it"
            if requireEnvironment {
                diagnostics.error(message + " (set it before running)", at: position)
                return nil
            }
            diagnostics.warning(message + " when the pipeline runs", at: position)
            return (nil, false)
        case .session:
            guard allowed.contains(.session), let session else {
                diagnostics.error("`\(path)` cannot refer to ${session}", at: position)
                return nil
            }
            return (session, true)
        case .name:
            guard allowed.contains(.name) else {
                diagnostics.error("`\(path)` cannot refer to ${name}", at: position)
                return nil
            }
            return (name, true)
        }
    }

    /// The position of the `occurrence`-th `${` of a scalar, found in the file's text.
    func position(of occurrence: Int, in scalar: YAMLScalar) -> SourcePosition {
        let start = source.offset(line: scalar.position.line, column: scalar.position.column)
        let found = source.occurrences(of: ["$", "{"], from: start, limit: occurrence + 1)
        guard found.count == occurrence + 1 else { return scalar.position }
        return source.position(ofOffset: found[occurrence])
    }
}

/// The rule for interpolated values that land in keys and paths.
enum PathSafety {
    /// Why a substituted value may not land in a path, or nil when it may.
    static func problem(in value: String) -> String? {
        if value.contains("..") { return "it contains `..`" }
        if value.hasPrefix("/") { return "it begins with `/`" }
        if value.contains("//") { return "it contains `//`" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return "it contains a control character"
        }
        return nil
    }
}
