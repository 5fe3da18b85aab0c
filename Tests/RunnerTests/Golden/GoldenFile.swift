import Foundation
import TestSupport
import Testing

/// Golden files: today's output of `runner`, checked in under `Golden/Fixtures/` and compared byte for byte after
/// masking what varies from run to run (`GoldenMask`). `RUNNER_UPDATE_GOLDENS=1` writes them anew instead
/// (docs/development.md); review the diff before committing it.
enum GoldenFile {
    static let folder = PackagePaths.root.appendingPathComponent("Tests/RunnerTests/Golden/Fixtures")

    /// Whether this run writes the golden files instead of checking against them.
    static var updating: Bool { ProcessInfo.processInfo.environment["RUNNER_UPDATE_GOLDENS"] == "1" }

    /// Checks `text` against the golden file `name` (a path under `Golden/Fixtures/`), or writes it when updating.
    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        guard let golden = FileManager.default.contents(atPath: file.path) else {
            Issue.record(
                "no golden file \(name): run with RUNNER_UPDATE_GOLDENS=1 to write it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: golden, as: UTF8.self)
        if expected != text {
            Issue.record(
                "\(name) differs from today's golden file (RUNNER_UPDATE_GOLDENS=1 rewrites it):\n\(diff(expected, text))",
                sourceLocation: sourceLocation)
        }
    }

    /// `diff -u` of the golden text and the actual one.
    static func diff(_ expected: String, _ actual: String) -> String {
        guard let scratch = try? temporaryFolder() else { return actual }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let left = scratch.appendingPathComponent("golden")
        let right = scratch.appendingPathComponent("actual")
        guard (try? Data(expected.utf8).write(to: left)) != nil, (try? Data(actual.utf8).write(to: right)) != nil,
            let output = try? run("/usr/bin/env", ["diff", "-u", left.path, right.path])
        else { return actual }
        return output.stdout
    }
}

/// What is masked in golden text: only what differs from one run of the same inputs to the next.
struct GoldenMask {
    /// Exact strings replaced by names, longest first (the project's temporary folder, a test bucket).
    var names: [(text: String, name: String)]

    /// Masks `text`: the names, then ISO 8601 times (events', records' `updated`, run records' `finished`),
    /// wall-clock seconds (`wallSeconds`), and ids handed out per run (the Runway double's task ids, numbered
    /// in order of first appearance, so that the same task keeps the same mask).
    func apply(_ text: String) -> String {
        var masked = text
        for (text, name) in names.sorted(by: { $0.text.count > $1.text.count }) {
            masked = masked.replacingOccurrences(of: text, with: name)
        }
        masked = masked.replacing(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/, with: "<time>")
        masked = masked.replacing(/("wallSeconds" ?: ?)[0-9.eE+\-]+/) { "\($0.1)<seconds>" }
        var tasks: [String: String] = [:]
        masked = masked.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) { match in
            let id = String(match.0)
            if let name = tasks[id] { return name }
            let name = "<id-\(tasks.count + 1)>"
            tasks[id] = name
            return name
        }
        return masked
    }
}

extension PipelineProject {
    /// Each JSON file under `relative` (state records, run records) with its path, masked, in path order: the
    /// records a run wrote, as one golden text.
    func recordsText(under relative: String, mask: GoldenMask) -> String {
        files(under: relative).keys.sorted().filter { $0.hasSuffix(".json") }.map { path in
            let text = (try? String(contentsOfFile: self.path(path), encoding: .utf8)) ?? "<unreadable>"
            return "== \(path)\n\(mask.apply(text))\n"
        }.joined()
    }
}
