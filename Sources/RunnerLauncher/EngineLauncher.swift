import Foundation

/// Hands a command to `runner-engine`, the binary beside this one that links the FFmpeg libraries.
enum EngineLauncher {
    static let engineName = "runner-engine"

    /// Replaces this process with the engine; returns only to report that it could not start.
    static func exec(arguments: [String]) -> Never {
        let engine = enginePath()
        let argv = ["runner"] + arguments
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(engine, cArguments)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("runner: cannot start \(engine): \(reason); runner and \(engineName) are built and installed together (swift build builds both)\n".utf8))
        exit(1)
    }

    /// The engine's path: beside this executable, found through /proc/self/exe so that symlinks to `runner` work.
    private static func enginePath() -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(engineName).path
    }
}
