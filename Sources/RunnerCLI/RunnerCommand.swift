import ArgumentParser
import Foundation
import Manifest

/// The root command of `runner-engine`, which `runner` hands every command but validate and schema.
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
            MergeCommand.self, ProbeCommand.self, KenBurnsCommand.self,
            FramesCommand.self, StorageCommand.self, RunwayCommand.self,
        ]
    )

    static func main() async {
        await CommandMain.run(RunnerCommand.self, arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
