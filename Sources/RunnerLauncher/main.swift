import RunnerCommands

// `runner`: answers validate and schema itself, fast; hands everything else to runner-engine.
let arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, LightCommands.names.contains(first) {
    await CommandMain.run(LightCommands.self, arguments: arguments)
} else {
    EngineLauncher.exec(arguments: arguments)
}
