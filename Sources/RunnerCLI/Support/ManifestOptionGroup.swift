import ArgumentParser
import Foundation
import Manifest

/// Options of every command that reads a manifest.
///
/// `--trust-host` and `--secret-env` are the trusted side's say over an untrusted manifest (docs/security.md):
/// which hosts a manifest-written endpoint may send credentials to, and which more environment variables are secret.
/// They add to `RUNNER_TRUSTED_HOSTS` and `RUNNER_SECRET_ENV`.
struct ManifestOptionGroup: ParsableArguments {
    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Override a manifest variable (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    @Option(
        name: .customLong("trust-host"),
        help: ArgumentHelp(
            "Let an endpoint the manifest names on this host receive credentials, or a webhook target a link-local "
                + "address (repeatable; also \(TrustedHosts.environmentVariable)).",
            valueName: "host[:port]"))
    var trustedHosts: [String] = []

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp(
            "Treat this environment variable as a secret: it may feed only an apiKey or webhookSecret (repeatable; "
                + "also \(SecretValues.markVariable)).",
            valueName: "name"))
    var secretNames: [String] = []

    /// The `--var` values as pairs; a value without `=` is a usage error.
    func variablePairs() throws -> [(String, String)] {
        try variables.map { text in
            guard let separator = text.firstIndex(of: "="), separator != text.startIndex else {
                // The text may be a secret given by mistake (`--var $TOKEN`): it is not echoed.
                throw ValidationError(
                    "--var takes NAME=VALUE, such as --var user=alice; this one has no name before `=`")
            }
            return (String(text[..<separator]), String(text[text.index(after: separator)...]))
        }
    }

    /// Options for reading a manifest with this process's environment.
    func manifestOptions(requireEnvironment: Bool) throws -> ManifestOptions {
        try manifestOptions(requireEnvironment: requireEnvironment, environment: ProcessInfo.processInfo.environment)
    }

    /// The flags' own checks, made by ArgumentParser before any command runs: a bad flag is a usage error (exit 2).
    func validate() throws {
        _ = try variablePairs()
        for name in secretNames where !Self.isVariableName(name) {
            throw ValidationError(
                "--secret-env takes an environment variable's name, such as --secret-env DEPLOY_TOKEN; "
                    + "\"\(InertText.escaped(name))\" is not one")
        }
        for entry in trustedHosts where entry.isEmpty || entry.contains("/") || entry.contains("@") {
            throw ValidationError(
                "--trust-host takes HOST or HOST:PORT, such as --trust-host 127.0.0.1:9000 (no scheme or path)")
        }
    }

    /// Options for reading a manifest with `environment` (the flags were checked by `validate()`).
    func manifestOptions(requireEnvironment: Bool, environment: [String: String]) throws -> ManifestOptions {
        ManifestOptions(
            variables: try variablePairs(), environment: environment,
            requireEnvironment: requireEnvironment,
            trustedHosts: TrustedHosts(environment: environment, flags: trustedHosts),
            secrets: SecretValues(environment: environment, marked: secretNames))
    }
}

extension ManifestOptionGroup {
    /// `[A-Za-z_][A-Za-z0-9_]*`, the names `${env:NAME}` reads.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
