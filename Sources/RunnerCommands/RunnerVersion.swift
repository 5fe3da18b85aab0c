/// The runner's version, printed by `runner --version`.
public enum RunnerVersion {
    public static let current = "0.1.0"
}
