import ArgumentParser
import Foundation
import Manifest
import Runner
import Stages

/// The saved plan's file on this machine: how `apply FILE` tells one from a manifest, where `plan --out` may write
/// one, and which manifest a plan names (docs/engine.md, "Saved plans").
enum SavedPlanFile {
    /// Whether `path` holds a saved plan rather than a manifest: its first character (after blanks) is `{` and it is a
    /// JSON object with a top-level `format` field, or it is named `*.json` (so that a plan cut short or edited into
    /// invalid JSON is named as a broken plan, not read as YAML). A manifest written as JSON has no `format` field.
    static func isSavedPlan(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: SavedPlan.maximumBytes + 1),
            let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{")
        else { return false }
        if path.lowercased().hasSuffix(".json") { return true }
        guard data.count <= SavedPlan.maximumBytes,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["format"] != nil
    }

    /// Reads and checks the saved plan at `path` (untrusted: `SavedPlan.load`); a problem ends the command with
    /// exit status 2, naming the file and the field.
    static func load(_ path: String) throws -> SavedPlan {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: SavedPlan.maximumBytes + 1) ?? Data()
        } catch {
            throw StandardError.fail(
                "cannot read the saved plan \(InertText.escaped(path)): \(error.localizedDescription)",
                status: ExitStatus.invalidInput)
        }
        do {
            return try SavedPlan.load(data, file: path)
        } catch {
            throw StandardError.fail(error.description, status: ExitStatus.invalidInput)
        }
    }

    /// The manifest a saved plan at `path` names: its `manifest.path`, relative to the plan file's folder. An absolute
    /// path is refused (`plan --out` writes a relative one).
    static func manifest(of plan: SavedPlan, file path: String) throws -> String {
        guard !plan.manifest.path.hasPrefix("/") else {
            throw StandardError.fail(
                "\(InertText.escaped(path)) cannot be used as a saved plan: `manifest.path` is absolute; "
                    + "`runner plan --out` names the manifest relative to the plan file; make the plan again with "
                    + "`runner plan MANIFEST --out FILE`", status: ExitStatus.invalidInput)
        }
        return URL(fileURLWithPath: folder(of: path), isDirectory: true).appendingPathComponent(plan.manifest.path)
            .standardizedFileURL.path
    }

    /// The plan file's folder, absolute.
    static func folder(of path: String) -> String {
        URL(
            fileURLWithPath: path,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        )
        .standardizedFileURL.deletingLastPathComponent().path
    }

    /// The folders a plan file may be in for `pipeline`: its project folder (the manifest's), and the folders
    /// `RUNNER_TRUSTED_PATHS` names, as for every write of a run (docs/security.md).
    static func boundary(for pipeline: Pipeline, environment: [String: String]) -> WriteBoundary {
        WriteBoundary(
            project: pipeline.directory, state: nil, scratch: nil, trusted: WriteBoundary.trustedPaths(in: environment))
    }

    /// The folders `boundary` allows, for messages.
    static func allowed(_ boundary: WriteBoundary) -> String {
        boundary.roots.map { "\($0.role) \(InertText.escaped($0.path))" }.joined(separator: " or ")
    }

    /// Refuses a plan file outside the project of the manifest it names: a plan from an artifact store must not lead
    /// apply to another project's manifest (and its credentials to that project's work).
    static func checkPlace(of path: String, pipeline: Pipeline, environment: [String: String]) throws {
        try check(path, pipeline: pipeline, environment: environment) { allowed in
            "\(InertText.escaped(path)) names the manifest \(InertText.escaped(pipeline.manifestPath)), but lies outside its "
                + "project: a saved plan is applied from \(allowed); make the plan again with `runner plan MANIFEST --out FILE` "
                + "inside the project"
        }
    }

    /// Throws, with exit status 2 and `refusal` of the allowed folders, unless `path` lies inside `pipeline`'s project
    /// folder or a trusted folder (symbolic links resolved, as `WriteBoundary` does).
    private static func check(
        _ path: String, pipeline: Pipeline, environment: [String: String],
        refusal: (String) -> String
    ) throws {
        let boundary = boundary(for: pipeline, environment: environment)
        do {
            try boundary.check(path)
        } catch {
            throw StandardError.fail(refusal(allowed(boundary)), status: ExitStatus.invalidInput)
        }
    }

    /// Writes `data` to `path` at once (a temporary file beside it, then renamed), only inside `pipeline`'s project
    /// folder or a trusted folder.
    static func write(_ data: Data, to path: String, pipeline: Pipeline, environment: [String: String]) throws {
        try check(path, pipeline: pipeline, environment: environment) { allowed in
            "refused to write the plan to \(InertText.escaped(path)): `--out` writes only inside \(allowed) (docs/security.md); "
                + "write it inside the project, or name the folder in \(WriteBoundary.trustedPathsVariable)"
        }
        do {
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StandardError.fail(
                "cannot write the plan to \(InertText.escaped(path)): \(error.localizedDescription); "
                    + "check that its folder exists and can be written", status: ExitStatus.failure)
        }
    }
}
