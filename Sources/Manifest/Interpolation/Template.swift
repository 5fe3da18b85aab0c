/// A text value with `${...}` references, split into literal runs and references.
struct Template: Sendable {
    /// What a `${...}` names.
    enum Reference: Sendable, Equatable {
        case variable(String)
        case environment(String, default: String?)
        case session
        case name

        /// How the reference is written, for messages.
        var written: String {
            switch self {
            case .variable(let name): return "${vars.\(name)}"
            case .environment(let name, let fallback):
                return fallback.map { "${env:\(name):-\($0)}" } ?? "${env:\(name)}"
            case .session: return "${session}"
            case .name: return "${name}"
            }
        }
    }

    enum Segment: Sendable {
        case literal(String)
        /// `occurrence` counts the `${` openings before this one in the value (escapes included),
        /// which is how its position in the file is found again.
        case reference(Reference, occurrence: Int)
    }

    /// A malformed reference, with which `${` it is.
    struct Problem: Sendable {
        let message: String
        let occurrence: Int
    }

    let segments: [Segment]
    let problems: [Problem]

    /// Whether the value has any reference.
    var hasReferences: Bool {
        segments.contains { if case .reference = $0 { return true } else { return false } }
    }

    /// Parses a value. `$${` is an escaped, literal `${`.
    init(parsing text: String) {
        // Most values have no reference: one literal, without the scalar-by-scalar walk.
        guard text.utf8.contains(UInt8(ascii: "$")) else {
            segments = text.isEmpty ? [] : [.literal(text)]
            problems = []
            return
        }
        var segments: [Segment] = []
        var problems: [Problem] = []
        var literal = ""
        var occurrence = 0
        let characters = Array(text.unicodeScalars)
        var index = 0
        func flush() {
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character == "$", index + 1 < characters.count {
                if characters[index + 1] == "$", index + 2 < characters.count, characters[index + 2] == "{" {
                    literal += "${"
                    occurrence += 1
                    index += 3
                    continue
                }
                if characters[index + 1] == "{" {
                    guard let close = characters[(index + 2)...].firstIndex(of: "}") else {
                        problems.append(Problem(message: "this `${` has no closing `}`", occurrence: occurrence))
                        literal.unicodeScalars.append(contentsOf: characters[index...])
                        break
                    }
                    var body = String.UnicodeScalarView()
                    body.append(contentsOf: characters[(index + 2)..<close])
                    switch Template.reference(String(body)) {
                    case .success(let reference):
                        flush()
                        segments.append(.reference(reference, occurrence: occurrence))
                    case .failure(let problem):
                        problems.append(Problem(message: problem.message, occurrence: occurrence))
                    }
                    occurrence += 1
                    index = close + 1
                    continue
                }
            }
            literal.unicodeScalars.append(character)
            index += 1
        }
        flush()
        self.segments = segments
        self.problems = problems
    }

    struct ReferenceProblem: Error {
        let message: String
    }

    private static func reference(_ body: String) -> Result<Reference, ReferenceProblem> {
        let trimmed = body.trimmingSpaces
        if trimmed == "session" { return .success(.session) }
        if trimmed == "name" { return .success(.name) }
        if trimmed.hasPrefix("vars.") {
            let name = String(trimmed.dropFirst("vars.".count))
            guard Identifier.isValid(name) else {
                return .failure(ReferenceProblem(message: "`${\(body)}` does not name a variable; write ${vars.NAME}"))
            }
            return .success(.variable(name))
        }
        if trimmed.hasPrefix("env:") {
            let rest = trimmed.dropFirst("env:".count)
            let name: Substring
            var fallback: String?
            if let separator = rest.firstRange(of: ":-") {
                name = rest[..<separator.lowerBound]
                fallback = String(rest[separator.upperBound...])
            } else {
                name = rest
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                name.first.map({ !$0.isNumber }) ?? false
            else {
                return .failure(
                    ReferenceProblem(
                        message:
                            "`${\(body)}` does not name an environment variable; write ${env:NAME} or ${env:NAME:-default}"
                    ))
            }
            return .success(.environment(String(name), default: fallback))
        }
        let hint =
            Suggestion.closest(to: trimmed, among: ["session", "name"]).map { "; did you mean ${\($0)}?" }
            ?? (trimmed.contains(".") || trimmed.contains(":") ? "" : "; did you mean ${vars.\(trimmed)}?")
        return .failure(
            ReferenceProblem(
                message:
                    "unknown reference `${\(body)}`; references are ${vars.NAME}, ${env:NAME}, ${session} and ${name}\(hint)"
            ))
    }
}

extension String {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

/// The identifier rule: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
enum Identifier {
    static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
