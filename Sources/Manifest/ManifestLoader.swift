import Foundation

/// The outcome of reading a manifest: the pipeline when it is valid, and every problem found.
public struct ManifestResult: Sendable {
    /// The pipeline; nil when there is any error (or, in validate, a value left unknown by an unset variable).
    public let pipeline: Pipeline?
    /// The problems, sorted by position.
    public let diagnostics: [Diagnostic]
    /// The manifest's path as given.
    public let file: String

    /// Whether any problem is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads, checks and interpolates manifests.
public enum ManifestLoader {
    /// UTF-8's byte order mark, EF BB BF.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Reads the manifest at `path`; relative locations in it are relative to its folder.
    public static func load(path: String, options: ManifestOptions = ManifestOptions()) -> ManifestResult {
        switch ManifestFile.read(path: path, limit: YAMLLoader.maximumBytes) {
        case .success(let bytes):
            return load(bytes: bytes, file: path, directory: ManifestFile.absoluteDirectory(of: path), options: options)
        case .failure(let problem):
            let diagnostic = Diagnostic(.error, at: SourcePosition(file: path, line: 1, column: 1), problem.description)
            return ManifestResult(pipeline: nil, diagnostics: [diagnostic], file: path)
        }
    }

    /// Reads a manifest from bytes; `file` names it in diagnostics and `directory` anchors its relative locations.
    public static func load(
        bytes: [UInt8], file: String, directory: String,
        options: ManifestOptions = ManifestOptions()
    ) -> ManifestResult {
        // Editors on Windows save UTF-8 with a byte order mark; YAML allows one at the start of a stream. It is
        // dropped before parsing, so columns on line 1 count from the first character the editor shows.
        let read = bytes
        let bytes = bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(byteOrderMark.count)) : bytes
        let loaded = YAMLLoader(file: file).load(bytes: bytes)
        var diagnostics = Diagnostics()
        diagnostics.append(contentsOf: loaded.diagnostics)
        var pipeline: Pipeline?
        if let root = loaded.root, let source = loaded.source {
            var decoder = PipelineDecoder(source: source, options: options, directory: directory)
            pipeline = decoder.decode(root)
            pipeline?.manifestBytes = read
            diagnostics.append(contentsOf: decoder.diagnostics.all)
        }
        // Messages show references, never values; scrubbing the secrets' values as well holds that even for a
        // message that quotes text the manifest shares with a secret by chance.
        let scrubbed = diagnostics.sorted.map { diagnostic in
            options.secrets.occurs(in: diagnostic.message)
                ? Diagnostic(diagnostic.severity, at: diagnostic.position, options.secrets.scrub(diagnostic.message))
                : diagnostic
        }
        return ManifestResult(pipeline: diagnostics.hasErrors ? nil : pipeline, diagnostics: scrubbed, file: file)
    }
}

/// Reading the manifest file itself, with a size limit checked before the bytes are read.
enum ManifestFile {
    enum Problem: Error, CustomStringConvertible {
        case missing, isDirectory, unreadable(String), tooLarge(Int)

        var description: String {
            switch self {
            case .missing: return "no such file; check the path"
            case .isDirectory: return "this is a folder; name the manifest file inside it (such as pipeline.yaml)"
            case .unreadable(let reason): return "cannot read the manifest: \(reason)"
            case .tooLarge(let size): return YAMLLoader.tooLargeMessage(size: size)
            }
        }
    }

    /// The file's bytes; reads at most `limit + 1`, enough to tell that a file is too large without reading it all.
    static func read(path: String, limit: Int) -> Result<[UInt8], Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        if isDirectory.boolValue { return .failure(.isDirectory) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.unreadable("permission denied")) }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            if data.count > limit {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? data.count
                return .failure(.tooLarge(size))
            }
            return .success([UInt8](data))
        } catch {
            return .failure(.unreadable(error.localizedDescription))
        }
    }

    /// The manifest's folder as an absolute path.
    static func absoluteDirectory(of path: String) -> String {
        let url = URL(
            fileURLWithPath: path,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        return url.standardizedFileURL.deletingLastPathComponent().path
    }
}
