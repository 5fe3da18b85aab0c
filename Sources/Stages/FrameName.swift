import Manifest

/// The rules for names that come from outside (S3 keys, file names) before they become part of a path: a frame's
/// name (its key relative to the frames location) names its clip and its scratch copy, so it must not be able to
/// climb out of a folder or hide what it is (docs/security.md).
public enum FrameName {
    /// Why `name` cannot be a frame's name ("has a `..` segment"), or nil when it can: a leading `/`, an empty, `.`
    /// or `..` segment, a backslash (a separator elsewhere) or a control character.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if InertText.hasControlCharacters(name) { return "holds control characters" }
        if name.contains("\\") { return "holds a backslash" }
        if name.hasPrefix("/") { return "begins with `/`" }
        for segment in name.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "has an empty segment (`//`)" }
            if segment == "." || segment == ".." { return "has a `\(segment)` segment" }
        }
        return nil
    }

    /// Why a frame named `name` is refused, as the frames stage says it, or nil when its name is usable.
    public static func refusal(_ name: String) -> String? {
        problem(name).map { "refused: its name \($0), which could lead a path out of its folder; rename it" }
    }

    /// A file extension for a scratch copy of `name`: its own when it is 1 to 8 letters and digits, else `img`.
    public static func fileExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "img" }
        let ext = name[name.index(after: dot)...]
        guard (1...8).contains(ext.count),
            ext.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return "img" }
        return String(ext)
    }
}
