/// The exit statuses of every command, as docs/manifest.md lists them.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// Something failed during work (a generation, an upload).
    public static let failure: Int32 = 1
    /// Invalid input or usage: a bad manifest, flag or argument.
    public static let invalidInput: Int32 = 2
}
