// The engine's commands share the light commands' types (ExitStatus, ManifestOptionGroup...).
@_exported import RunnerCommands
