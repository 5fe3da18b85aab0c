import Foundation

/// The files a stage reads of its own (music, voice, subtitles, fonts), as the manifest names them.
extension PipelineDecoder {
    /// A file of the stage's own: a location naming a file; a local one must be inside the project folder (or a
    /// folder `RUNNER_TRUSTED_PATHS` names), exist, and not be a symbolic link leading out; plan and apply check it
    /// again on its final path before anything is made (it may have changed since).
    mutating func ownFile(_ view: MappingView, _ key: String, path: String) -> Location? {
        guard let location = location(in: view, key, path: path, shape: .file) else { return nil }
        guard case .local(let file) = location else { return location }
        let at = view.scalar(key)?.position ?? view.position
        let standardized = URL(fileURLWithPath: file).standardizedFileURL.path
        let trusted = (options.environment["RUNNER_TRUSTED_PATHS"] ?? "").split(separator: ":").map {
            URL(fileURLWithPath: String($0)).standardizedFileURL.path
        }
        let project = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard ([project] + trusted).contains(where: { Self.isWithin(standardized, $0) }) else {
            diagnostics.error(
                "`\(path)` leads outside the project folder (to \(InertText.escaped(standardized))); a manifest reads "
                    + "files only inside its project (docs/security.md): put the file in the project, or name its "
                    + "folder in RUNNER_TRUSTED_PATHS from the environment", at: at)
            return nil
        }
        if !FileManager.default.fileExists(atPath: standardized) {
            diagnostics.error(
                "`\(path)` names \(InertText.escaped(standardized)), which does not exist; check the path "
                    + "(relative paths are read from the manifest's folder)", at: at)
            return nil
        }
        // A symbolic link in the project that leads out of it: its final path, against the roots' final paths.
        let final = URL(fileURLWithPath: standardized).resolvingSymlinksInPath().path
        let roots = ([project] + trusted).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        guard roots.contains(where: { Self.isWithin(final, $0) }) else {
            diagnostics.error(
                "`\(path)` is a symbolic link that leads outside the project folder (to \(InertText.escaped(final))); "
                    + "a manifest reads files only inside its project (docs/security.md): copy the file into the "
                    + "project, or name its folder in RUNNER_TRUSTED_PATHS from the environment", at: at)
            return nil
        }
        return location
    }

    static func isWithin(_ path: String, _ folder: String) -> Bool {
        let root = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        return path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }
}
