import ArgumentParser
import Media

/// `runner version`: the runner's version and the libraries it is linked with.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the runner's version and the FFmpeg libraries it uses."
    )

    func run() {
        print("runner \(RunnerVersion.current)")
        print(MediaLibraries.versions)
    }
}
