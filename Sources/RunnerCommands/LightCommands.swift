import ArgumentParser

/// The commands `runner` answers itself, without loading the FFmpeg libraries.
///
/// Loading libav and the ~150 shared libraries it pulls in costs about 50 ms of start-up on these
/// machines; `validate` runs on every commit in CI, so the `runner` launcher handles these commands
/// itself and hands every other one to `runner-engine`, as git hands `git foo` to `git-foo`.
public struct LightCommands: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Turn a folder of still frames into one finished video, declared in a YAML manifest.",
        subcommands: [ValidateCommand.self, SchemaCommand.self]
    )

    /// The first arguments that `runner` handles itself.
    public static let names: Set<String> = ["validate", "schema"]

    public init() {}
}
