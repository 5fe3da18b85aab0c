import Foundation
import Manifest

/// Where a film stage may read local files of its own (music, voice, subtitles): inside the project folder or a
/// folder `RUNNER_TRUSTED_PATHS` names, on the file's final path (`..` folded, symbolic links followed), as every
/// local write is held (docs/security.md). A manifest is untrusted: `music: ../../etc/passwd`, or a link in the
/// project to a file elsewhere, would otherwise put another file's bytes into a published film.
struct FileInputBoundary: Sendable {
    let boundary: WriteBoundary?

    /// The boundary of a project (nil: no project, as in tests that make stages directly: anywhere).
    init(project: String?, environment: [String: String]) {
        boundary = project.map {
            WriteBoundary(
                project: $0, state: nil, scratch: nil, trusted: WriteBoundary.trustedPaths(in: environment))
        }
    }

    /// Throws `StageError.unreadable` naming the file's role and the fix unless `path` lies inside the boundary.
    func check(_ path: String, role: String) throws(StageError) {
        guard let boundary else { return }
        do {
            try boundary.check(path)
        } catch {
            let allowed = error.roots.map { "\($0.role) \(InertText.escaped($0.path))" }.joined(separator: ", ")
            let leads = error.resolved.map { $0 == error.path ? "" : " (it leads to \(InertText.escaped($0)))" } ?? ""
            throw StageError.unreadable(
                path: InertText.escaped(path),
                reason:
                    "`\(role)` lies outside the folders a manifest may read\(leads): only \(allowed) (docs/security.md); "
                    + "put the file inside the project, or name its folder in \(WriteBoundary.trustedPathsVariable) "
                    + "from the environment")
        }
    }
}
