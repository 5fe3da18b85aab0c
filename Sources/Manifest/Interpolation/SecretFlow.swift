/// What an interpolated value derives from, so that a secret is recognised however it travels.
struct Taint: Sendable, Equatable {
    /// Every environment variable the value derives from, directly or through vars.
    var environmentNames: Set<String> = []
    /// References whose value is, or holds, a secret's value (`${env:COPY}`, or `${vars.user}` set by `--var`).
    var secretValues: Set<String> = []

    mutating func formUnion(_ other: Taint) {
        environmentNames.formUnion(other.environmentNames)
        secretValues.formUnion(other.secretValues)
    }
}

/// The rule that a secret flows only into fields that take secrets: a provider's `apiKey` and a publish stage's
/// `webhookSecret` (docs/security.md). Every other field is sent, printed or recorded somewhere.
///
/// A value holds a secret when it derives from an environment variable that `SecretValues` names secret (the
/// credential variables, secret-looking names, `RUNNER_SECRET_ENV`, `--secret-env`) or that also feeds a secret
/// field, or when its value contains a secret's value (an `${env:COPY}` of a secret, a `--var` given one).
enum SecretFlow {
    /// One reference used in a field that does not take secrets.
    struct Use {
        /// The reference as written, such as `${vars.folder}`.
        let reference: String
        let at: SourcePosition
        /// The field, such as `stages.frames.from`.
        let path: String
        let taint: Taint
    }

    /// An error for each use that carries a secret, naming the reference (never the value).
    static func check(_ uses: [Use], secrets: SecretValues, secretFieldNames: Set<String>) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for use in uses {
            let secretNames = use.taint.environmentNames.filter {
                secrets.isSecret(name: $0) || secretFieldNames.contains($0)
            }
            guard !secretNames.isEmpty || !use.taint.secretValues.isEmpty else { continue }
            var origins: [String] = []
            for name in secretNames.sorted()
            where use.reference != "${env:\(name)}" && !use.reference.hasPrefix("${env:\(name):-") {
                origins.append("`${env:\(name)}`")
            }
            for entry in use.taint.secretValues.sorted() where entry != use.reference {
                origins.append("`\(entry)`, whose value holds a secret's value")
            }
            var reasons: [String] = []
            if use.taint.secretValues.contains(use.reference) { reasons.append("its value is a secret's value") }
            if !origins.isEmpty { reasons.append("it comes from \(origins.joined(separator: ", "))") }
            let through = reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))"
            found.append(
                Diagnostic(
                    .error, at: use.at,
                    "`\(use.reference)` holds a secret\(through) and cannot be used in "
                        + "`\(use.path)`, which is sent, printed and recorded; only a provider's `apiKey` and `webhookSecret` take secrets"
                ))
        }
        return found
    }
}
