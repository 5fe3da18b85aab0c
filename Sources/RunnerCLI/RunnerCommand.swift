import ArgumentParser
import Foundation
import Manifest

/// `runner`: the one executable, which does every command.
///
/// Nothing here touches the FFmpeg libraries: Media prepares them on first use, so `runner validate` and
/// `runner schema` never initialise them (docs/architecture.md).
@main
struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Turn a folder of still frames into one finished video, declared in a YAML manifest.",
        discussion: """
            Examples:
              runner validate pipeline.yaml             check a manifest (exit 2 on errors)
              runner plan pipeline.yaml                 what apply would do, and its cost
              runner apply pipeline.yaml                run it (resumable)
              runner status pipeline.yaml               the checkpoints, per stage and clip
              runner validate --format github *.yaml    annotations for GitHub Actions
              runner validate pipeline.yaml --var user=alice
              runner schema > manifest.schema.json      the JSON Schema, for editors
            """,
        version: RunnerVersion.current,
        subcommands: [
            ValidateCommand.self,
            SchemaCommand.self,
            PlanCommand.self, ApplyCommand.self, StatusCommand.self,
            VersionCommand.self, ModelsCommand.self,
            MergeCommand.self, SoundtrackCommand.self, ProbeCommand.self, KenBurnsCommand.self,
            FramesCommand.self, StorageCommand.self, RunwayCommand.self,
            ServeCommand.self,
        ]
    )

    /// Parses the arguments, runs the chosen command, and exits with the status Support/Failures.swift maps its end to.
    static func main() async {
        do {
            var command = try parseAsRoot(Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.success)
        } catch {
            let end = exitStatus(of: error, in: RunnerCommand.self)
            if !end.message.isEmpty {
                let stream = end.toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((end.message + "\n").utf8))
            }
            Foundation.exit(end.status)
        }
    }
}
