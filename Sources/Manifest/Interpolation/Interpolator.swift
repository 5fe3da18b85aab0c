/// Resolves `${...}` references in manifest values, reporting each problem at its `${`.
///
/// Each resolved value comes with a display form, for messages: every part that came from the environment or the
/// command line is shown as the reference that brought it (`${env:NAME}`, `${vars.user}`), so a diagnostic never
/// prints an environment value. Each value also carries its `Taint`: the environment variables it derives from and
/// whether it holds a secret's value. Uses of values in fields that do not take secrets are recorded, and
/// `SecretFlow` refuses those that carry a secret once the whole manifest is read (docs/security.md).
struct Interpolator {
    /// Where a variable's value came from, for messages.
    enum VariableOrigin: Sendable {
        case manifest, commandLine
    }

    /// A value the manifest refers to by name (a variable or the session).
    struct Known {
        /// Nil when an unset environment variable leaves it unknown (validate): its uses are unknown too.
        var value: String?
        var origin: VariableOrigin
        /// What messages show for a reference to it; nil shows the reference itself (an environment-derived or
        /// command-line value).
        var shown: String?
        var taint: Taint
    }

    let source: SourceText
    var variables: [String: Known]
    let environment: [String: String]
    let requireEnvironment: Bool
    let secrets: SecretValues
    let name: String
    var session: Known?
    var diagnostics = Diagnostics()
    /// References used by fields that do not take secrets, checked by `SecretFlow` at the end.
    var plainUses: [SecretFlow.Use] = []
    /// Environment variables that feed secret fields (directly or through vars): secret from then on.
    var secretEnvironmentNames: Set<String> = []
    /// Each environment variable read that is set, with its value: what a saved plan digests (issue 17).
    var environmentReads: [String: String] = [:]

    init(
        source: SourceText, variables: [String: Known] = [:], environment: [String: String], requireEnvironment: Bool,
        secrets: SecretValues = .none, name: String
    ) {
        self.source = source
        self.variables = variables
        self.environment = environment
        self.requireEnvironment = requireEnvironment
        self.secrets = secrets
        self.name = name
    }

    /// The result of resolving one value.
    struct Resolved {
        var value: String
        /// The value as messages show it: references stand for what the environment or command line supplied.
        var display: String
        /// False when an unset environment variable left a hole: later checks of the value are skipped.
        var complete: Bool
        /// What the value derives from.
        var taint: Taint
        /// Whether every part of the value is shown as it is (nothing came from the environment or command line).
        var isShowable: Bool { value == display }
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

    /// What a resolved value is for: a field that takes secrets, one that is printed and sent, or a variable's
    /// definition (whose taint travels on to where the variable is used).
    enum Destination {
        case plain, secret, definition
    }

    /// Resolves a scalar's references. `pathSafe` rejects substituted values that could escape a key or path.
    mutating func resolve(
        _ scalar: YAMLScalar, path: String, allowed: Allowed = .all,
        pathSafe: Bool = false, destination: Destination = .plain
    ) -> Resolved? {
        let template = Template(parsing: scalar.value)
        var ok = true
        for problem in template.problems {
            diagnostics.error(problem.message, at: position(of: problem.occurrence, in: scalar))
            ok = false
        }
        var value = ""
        var display = ""
        var complete = true
        var taint = Taint()
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                value += text
                display += text
            case .reference(let reference, let occurrence):
                let at = position(of: occurrence, in: scalar)
                guard let substituted = substitute(reference, at: at, path: path, allowed: allowed) else {
                    ok = false
                    continue
                }
                taint.formUnion(substituted.taint)
                switch destination {
                case .plain:
                    plainUses.append(
                        SecretFlow.Use(reference: reference.written, at: at, path: path, taint: substituted.taint))
                case .secret:
                    secretEnvironmentNames.formUnion(substituted.taint.environmentNames)
                case .definition:
                    break
                }
                display += substituted.shown ?? reference.written
                guard let text = substituted.value else {
                    complete = false
                    continue
                }
                if pathSafe, let problem = PathSafety.problem(in: text) {
                    let shown = substituted.shown.map { "\"\(YAMLNode.abbreviated($0))\"" } ?? "its value"
                    diagnostics.error(
                        "`\(reference.written)` puts \(shown) into `\(path)`, and \(problem); "
                            + "a value that lands in a path is rejected, never cleaned", at: at)
                    ok = false
                }
                value += text
            }
        }
        return ok ? Resolved(value: value, display: display, complete: complete, taint: taint) : nil
    }

    /// One reference's value (nil: an unset environment variable), what messages show for it (nil: the reference)
    /// and its taint; nil after a diagnostic.
    private struct Substitution {
        var value: String?
        var shown: String?
        var taint: Taint
    }

    private mutating func substitute(
        _ reference: Template.Reference, at position: SourcePosition, path: String,
        allowed: Allowed
    ) -> Substitution? {
        switch reference {
        case .variable(let name):
            guard allowed.contains(.variables) else {
                diagnostics.error(
                    "`\(path)` cannot refer to vars; only ${env:NAME} and ${name} are allowed here", at: position)
                return nil
            }
            guard let variable = variables[name] else {
                let known = variables.keys.sorted()
                let hint =
                    Suggestion.closest(to: name, among: known).map { "; did you mean ${vars.\($0)}?" }
                    ?? (known.isEmpty
                        ? "; the manifest declares no vars" : "; declared: \(known.joined(separator: ", "))")
                diagnostics.error("unknown variable `\(name)` in `${vars.\(name)}`\(hint)", at: position)
                return nil
            }
            return Substitution(value: variable.value, shown: variable.shown, taint: variable.taint)
        case .environment(let name, let fallback):
            guard allowed.contains(.environment) else {
                diagnostics.error("`\(path)` cannot refer to the environment", at: position)
                return nil
            }
            var taint = Taint(environmentNames: [name])
            if let value = environment[name] {
                environmentReads[name] = value
                // A variable of any name whose value is (or holds) a secret's value is a secret.
                if !secrets.isSecret(name: name), secrets.occurs(in: value) {
                    taint.secretValues.insert(reference.written)
                }
                return Substitution(value: value, shown: nil, taint: taint)
            }
            if let fallback { return Substitution(value: fallback, shown: nil, taint: taint) }
            let message = "the environment variable \(name) is not set; `\(path)` needs it"
            if requireEnvironment {
                diagnostics.error(message + " (set it before running)", at: position)
                return nil
            }
            diagnostics.warning(message + " when the pipeline runs", at: position)
            return Substitution(value: nil, shown: nil, taint: taint)
        case .session:
            guard allowed.contains(.session), let session else {
                diagnostics.error("`\(path)` cannot refer to ${session}", at: position)
                return nil
            }
            // The session's own field is checked where it is written; its uses need not repeat that error.
            return Substitution(value: session.value, shown: session.shown, taint: Taint())
        case .name:
            guard allowed.contains(.name) else {
                diagnostics.error("`\(path)` cannot refer to ${name}", at: position)
                return nil
            }
            return Substitution(value: name, shown: name, taint: Taint())
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
        if value.unicodeScalars.contains(where: {
            $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value)
        }) {
            return "it contains a control character"
        }
        return nil
    }
}
