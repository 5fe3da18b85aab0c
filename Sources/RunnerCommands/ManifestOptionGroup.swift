import ArgumentParser
import Foundation
import Manifest

/// Options of every command that reads a manifest.
public struct ManifestOptionGroup: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("Override a manifest variable (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    public init() {}

    /// The `--var` values as pairs; a value without `=` is a usage error.
    public func variablePairs() throws -> [(String, String)] {
        try variables.map { text in
            guard let separator = text.firstIndex(of: "="), separator != text.startIndex else {
                throw ValidationError("--var takes NAME=VALUE, such as --var user=alice; got \"\(text)\"")
            }
            return (String(text[..<separator]), String(text[text.index(after: separator)...]))
        }
    }

    /// Options for reading a manifest with this process's environment.
    public func manifestOptions(requireEnvironment: Bool) throws -> ManifestOptions {
        ManifestOptions(variables: try variablePairs(), environment: ProcessInfo.processInfo.environment,
                        requireEnvironment: requireEnvironment)
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
