import Foundation
import Manifest

/// The folders a run may write to on this machine (docs/security.md): the project folder (the manifest's), the
/// state folder when it is local, and the run's own scratch folder. A manifest is untrusted text, so every local
/// write of a run is checked here on its final path: `..` folded, and every existing folder on the way, the last
/// component too, resolved through its symbolic links (as `realpath` does). Neither a `..` in a name nor a
/// symbolic link planted in the project or the state leads a write elsewhere.
public struct WriteBoundary: Sendable {
    /// One allowed folder, normalised.
    public struct Root: Sendable, Equatable {
        /// What it is, for messages: "the project folder".
        public let role: String
        /// Its final path (symbolic links resolved).
        public let path: String
    }

    public let roots: [Root]

    /// The environment variable that names folders outside the project a run may write to (colon-separated): the
    /// trusted side's leave for a local `state:` or `to:` elsewhere (docs/security.md).
    public static let trustedPathsVariable = "RUNNER_TRUSTED_PATHS"

    /// The roots of a run: `project` (the manifest's folder), `state` when it is a local folder, and `scratch`.
    ///
    /// A state folder inside the project (by its text, as the default `.runner/state/`) adds no root of its own, so
    /// that a symbolic link there that leads out of the project is refused. The manifest is untrusted, so a state
    /// folder it puts outside the project is a root only inside a folder the environment trusts (`trusted`, from
    /// `RUNNER_TRUSTED_PATHS`); each trusted folder is a root too.
    public init(project: String, state: Location?, scratch: String?, trusted: [String] = []) {
        let projectText = Self.absolute(project)
        var roots = [Root(role: "the project folder", path: Self.finalPath(projectText) ?? projectText)]
        let trustedRoots = trusted.filter { !$0.isEmpty }.map { path -> Root in
            let text = Self.absolute(path)
            return Root(role: "a folder \(Self.trustedPathsVariable) trusts", path: Self.finalPath(text) ?? text)
        }
        if case .local(let path)? = state?.resolved(against: projectText) {
            let text = Self.absolute(path)
            if !Self.isWithin(text, projectText), trustedRoots.contains(where: { Self.isWithin(text, $0.path) }) {
                roots.append(Root(role: "the state folder", path: Self.finalPath(text) ?? text))
            }
        }
        roots += trustedRoots
        if let scratch {
            let text = Self.absolute(scratch)
            roots.append(Root(role: "the run's scratch folder", path: Self.finalPath(text) ?? text))
        }
        self.roots = roots
    }

    /// The trusted folders named by `RUNNER_TRUSTED_PATHS` in `environment`.
    public static func trustedPaths(in environment: [String: String]) -> [String] {
        (environment[trustedPathsVariable] ?? "").split(separator: ":").map(String.init)
    }

    /// Throws unless a write to `path` lands inside a root.
    public func check(_ path: String) throws(WriteRefusal) {
        let absolute = Self.absolute(path)
        guard let final = Self.finalPath(absolute) else {
            throw WriteRefusal(path: absolute, resolved: nil, roots: roots)
        }
        guard roots.contains(where: { Self.isWithin(final, $0.path) }) else {
            throw WriteRefusal(path: absolute, resolved: final, roots: roots)
        }
    }

    /// `path` made absolute against the working folder.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Whether `path` is `root` or inside it (both normalised).
    static func isWithin(_ path: String, _ root: String) -> Bool {
        let trimmed = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        if trimmed == "/" { return path.hasPrefix("/") }
        return path == trimmed || path.hasPrefix(trimmed + "/")
    }

    /// Where a write to the absolute `path` lands: components taken one by one, `.` dropped, `..` going up from the
    /// real folder reached so far, and each component that exists resolved through its symbolic links. Nil when a
    /// symbolic link on the way leads nowhere (a write through it would create its target, wherever that is).
    static func finalPath(_ path: String) -> String? {
        var resolved = "/"
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                resolved = (resolved as NSString).deletingLastPathComponent
                if resolved.isEmpty { resolved = "/" }
                continue
            }
            let candidate = resolved == "/" ? "/" + component : resolved + "/" + component
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                resolved = candidate  // absent: the write creates it here
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard let real = realpath(candidate, nil) else { return nil }
                defer { free(real) }
                resolved = String(cString: real)
            } else {
                resolved = candidate
            }
        }
        return resolved
    }
}

/// A local write outside the run's allowed folders, refused.
public struct WriteRefusal: Error, Sendable, CustomStringConvertible, Equatable {
    /// The path as asked for.
    public let path: String
    /// Where it leads (nil: through a symbolic link that leads nowhere).
    public let resolved: String?
    public let roots: [WriteBoundary.Root]

    public var description: String {
        let allowed = roots.map { "\($0.role) \(InertText.escaped($0.path))" }.joined(separator: ", ")
        let target: String
        if let resolved {
            target = resolved == path ? "" : " (it leads to \(InertText.escaped(resolved)))"
        } else {
            target = " (a symbolic link on the way leads nowhere)"
        }
        return "refused to write \(InertText.escaped(path))\(target): a run writes only inside \(allowed) "
            + "(docs/security.md); put the manifest's `to:` and `state:` inside the project (or, from the environment, name the "
            + "folder in \(WriteBoundary.trustedPathsVariable)), and remove symbolic links that lead out of it"
    }
}
