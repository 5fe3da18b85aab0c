/// The runner's version, printed by `runner --version`.
enum RunnerVersion {
    static let current = "0.1.0"
}
