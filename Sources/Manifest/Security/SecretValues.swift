/// The secret values of a run, known so that they never become text (docs/security.md).
///
/// A variable is secret when its name is one of the credential variables the runner and the AWS CLI read, when its
/// name looks like a credential (`*SECRET*`, `*TOKEN*`, `*PASSWORD*`, `*PASSWD*`, `*API_KEY*`, `*APIKEY*`,
/// `*PRIVATE_KEY*`, `*CREDENTIAL*`), or when the trusted side marks it: `RUNNER_SECRET_ENV` (names, comma- or
/// space-separated) or `--secret-env NAME`. Values shorter than `minimumLength` are not scrubbed from text (they
/// would match everywhere), but their names still keep them out of printed fields.
public struct SecretValues: Sendable {
    /// The environment variable that marks more variables secret.
    public static let markVariable = "RUNNER_SECRET_ENV"
    /// The command-line flag that marks a variable secret, for messages.
    public static let flag = "--secret-env"
    /// Shorter values are not searched for in text.
    public static let minimumLength = 6

    /// Credential variables read by the runner, the AWS CLI and AWS SDKs.
    public static let credentialNames: Set<String> = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "RUNWAYML_API_SECRET",
    ]

    /// The names of the secret variables present in the environment.
    public let names: Set<String>
    /// Their values (non-empty), longest first, so that a longer secret is scrubbed before a value inside it.
    private let values: [String]

    /// The secrets of `environment`, with `marked` names (from `--secret-env`) added to `RUNNER_SECRET_ENV`'s.
    public init(environment: [String: String], marked: [String] = []) {
        var extra = Set(marked)
        for entry in (environment[Self.markVariable] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }) {
            extra.insert(String(entry))
        }
        var names: Set<String> = []
        // RUNNER_SECRET_ENV holds names, not a secret, though its own name looks like one.
        for (name, value) in environment where !value.isEmpty && name != Self.markVariable {
            if extra.contains(name) || Self.isSecretName(name) { names.insert(name) }
        }
        self.names = names
        self.values = Set(names.compactMap { environment[$0] }).filter { $0.count >= Self.minimumLength }
            .sorted { $0.count > $1.count }
        self.markedNames = extra
    }

    /// Names marked by the trusted side, whether set or not.
    public let markedNames: Set<String>

    /// Extra values to scrub (a key given on the command line), added to these.
    public func adding(_ secrets: [Secret]) -> SecretValues {
        var copy = self
        let more = secrets.map { $0.revealed() }.filter { $0.count >= Self.minimumLength }
        copy.valuesOverride = (values + more).sorted { $0.count > $1.count }
        return copy
    }

    /// The variables whose values an S3 presigned link carries by design: the access key id (in `X-Amz-Credential`)
    /// and, with temporary credentials, the session token (`X-Amz-Security-Token`). The secret access key, which
    /// signs, is never in a link (AWS, "Sharing objects with presigned URLs").
    public static let presignedLinkCredentialNames = ["AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"]

    /// These secrets without what a presigned link carries (`presignedLinkCredentialNames`' values in
    /// `environment`), for text that hands out links on purpose (`runner serve`'s answers and events): scrubbed, the
    /// access key id would break every link. Every other secret is still scrubbed.
    public func keepingPresignedLinkCredentials(of environment: [String: String]) -> SecretValues {
        let carried = Set(Self.presignedLinkCredentialNames.compactMap { environment[$0] })
        var copy = self
        copy.valuesOverride = allValues.filter { !carried.contains($0) }
        return copy
    }

    private var valuesOverride: [String]?
    private var allValues: [String] { valuesOverride ?? values }

    /// Nothing secret.
    public static let none = SecretValues(environment: [:])

    /// Whether a variable of this name holds a secret by its name alone (or because the trusted side marked it).
    public func isSecret(name: String) -> Bool {
        names.contains(name) || markedNames.contains(name) || Self.isSecretName(name)
    }

    /// Whether `name` is a credential variable or looks like one.
    public static func isSecretName(_ name: String) -> Bool {
        if credentialNames.contains(name) { return true }
        let upper = name.uppercased()
        return ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"]
            .contains { upper.contains($0) }
    }

    /// Whether `text` contains a secret value.
    public func occurs(in text: String) -> Bool {
        allValues.contains { text.contains($0) }
    }

    /// `text` with every secret value replaced by `<redacted>`.
    public func scrub(_ text: String) -> String {
        var text = text
        for value in allValues where text.contains(value) {
            text = text.replacingAll(value, with: "<redacted>")
        }
        return text
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation: Manifest stays light).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
