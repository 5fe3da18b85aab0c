extension Location {
    /// The last segment of the path or key (`clip.mp4` of `s3://b/out/clip.mp4`); empty for a prefix.
    public var lastComponent: String {
        let text: String
        switch self {
        case .s3(_, let key): text = key
        case .local(let path): text = path
        }
        guard !isPrefix else { return "" }
        return text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
    }

    /// The folder (prefix) holding this file: `s3://b/out/` of `s3://b/out/clip.mp4`; a prefix is its own.
    public var parent: Location {
        guard !isPrefix else { return self }
        switch self {
        case .s3(let bucket, let key): return .s3(bucket: bucket, key: String(key.dropLast(lastComponent.count)))
        case .local(let path): return .local(path: String(path.dropLast(lastComponent.count)))
        }
    }

    /// The extension of the last segment, without its dot (`mp4`), or nil when it has none. A leading dot (a hidden
    /// file's name) does not start an extension.
    public var fileExtension: String? {
        let name = lastComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : String(ext)
    }

    /// This location with the extension of its last segment (and the dot) removed, when it has one.
    public var droppingFileExtension: Location {
        guard let ext = fileExtension else { return self }
        switch self {
        case .s3(let bucket, let key): return .s3(bucket: bucket, key: String(key.dropLast(ext.count + 1)))
        case .local(let path): return .local(path: String(path.dropLast(ext.count + 1)))
        }
    }
}
