import ArgumentParser
import Foundation

/// The shared `main` of the runner's executables: runs a root command with the runner's exit statuses.
public enum CommandMain {
    /// Parses `arguments` with `Root` and runs the chosen command; never returns.
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]) async -> Never {
        do {
            var command = try Root.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(ExitStatus.success)
        } catch {
            let code = Root.exitCode(for: error)
            let message = Root.fullMessage(for: error)
            if !message.isEmpty {
                // Help and --version are answers, so they go to standard output; problems go to standard error.
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            // Usage errors exit 2, as the manifest contract says, not ArgumentParser's 64.
            exit(code == .validationFailure ? ExitStatus.invalidInput : code.rawValue)
        }
    }
}
