import Foundation
import Manifest
import TestSupport
import Testing

@testable import Stages

/// The second line of defence of "a manifest cannot make the runner write outside its project" (docs/security.md):
/// every local write is checked on its final path, `..` folded and symbolic links followed.
struct WriteBoundaryTests {
    /// A project folder and a folder beside it that no write may reach.
    struct Layout {
        let base: URL
        var project: URL { base.appendingPathComponent("project") }
        var outside: URL { base.appendingPathComponent("outside") }
        var scratch: URL { base.appendingPathComponent("scratch/runner-p-1") }

        init() throws {
            base = try temporaryFolder()
            for folder in [project, outside, scratch] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        }

        func boundary(state: Location? = .local(path: ".runner/state/")) -> WriteBoundary {
            WriteBoundary(project: project.path, state: state, scratch: scratch.path)
        }

        func remove() { try? FileManager.default.removeItem(at: base) }
    }

    static func refusal(_ boundary: WriteBoundary, _ path: String) -> WriteRefusal? {
        do {
            try boundary.check(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func writesInsideTheProjectStateAndScratchPass() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let boundary = layout.boundary()
        for path in [
            layout.project.path + "/out/clips/a-1234.mp4", layout.project.path + "/.runner/state/p/clips/k.json",
            layout.project.path + "/out/./x/../film.mp4", layout.scratch.path + "/key/clip.mp4",
        ] {
            #expect(Self.refusal(boundary, path) == nil, "\(path) was refused")
        }
    }

    @Test func dotDotSegmentsThatLeadOutAreRefused() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let path = layout.project.path + "/out/clips/../../../outside/evil.mp4"
        let refusal = try #require(Self.refusal(layout.boundary(), path))
        #expect(refusal.resolved == layout.outside.path + "/evil.mp4")
        #expect(refusal.description.hasPrefix("refused to write \(path) (it leads to \(layout.outside.path)/evil.mp4)"))
        #expect(refusal.description.contains("the project folder \(layout.project.path)"))
        // The scratch root is the run's own folder, not the whole temporary folder it is in.
        #expect(Self.refusal(layout.boundary(), layout.scratch.deletingLastPathComponent().path + "/other/x") != nil)
    }

    @Test func aSymbolicLinkThatLeadsOutIsRefused() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: layout.project.path + "/out", withDestinationPath: layout.outside.path)
        let refusal = try #require(Self.refusal(layout.boundary(), layout.project.path + "/out/clips/a.mp4"))
        #expect(refusal.resolved == layout.outside.path + "/clips/a.mp4")
        // A link as the last component is followed too: writing through it would land where it points.
        try FileManager.default.createSymbolicLink(
            atPath: layout.project.path + "/film.mp4",
            withDestinationPath: layout.outside.path + "/film.mp4")
        #expect(Self.refusal(layout.boundary(), layout.project.path + "/film.mp4") != nil)
        // A link that stays inside is fine.
        try FileManager.default.createDirectory(
            atPath: layout.project.path + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: layout.project.path + "/alias", withDestinationPath: layout.project.path + "/real")
        #expect(Self.refusal(layout.boundary(), layout.project.path + "/alias/clip.mp4") == nil)
    }

    @Test func aDanglingSymbolicLinkIsRefused() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: layout.project.path + "/journal.jsonl",
            withDestinationPath: layout.outside.path + "/absent/created.jsonl")
        let refusal = try #require(Self.refusal(layout.boundary(), layout.project.path + "/journal.jsonl"))
        #expect(refusal.resolved == nil)
        #expect(refusal.description.contains("leads nowhere"))
    }

    @Test func aStateFolderInTheProjectThatIsALinkOutIsRefused() throws {
        let layout = try Layout()
        defer { layout.remove() }
        try FileManager.default.createDirectory(
            atPath: layout.project.path + "/.runner", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: layout.project.path + "/.runner/state", withDestinationPath: layout.outside.path)
        #expect(
            Self.refusal(layout.boundary(), layout.project.path + "/.runner/state/p/lock.json") != nil,
            "a symlinked state folder was allowed to lead out of the project")
    }

    @Test func aStateFolderTheManifestPutsElsewhereIsRefusedUnlessTheEnvironmentTrustsIt() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let state = Location.local(path: layout.outside.path + "/state/")
        let untrusted = layout.boundary(state: state)
        #expect(
            Self.refusal(untrusted, layout.outside.path + "/state/p/lock.json") != nil,
            "a manifest's state folder outside the project was written without the environment's leave")
        #expect(untrusted.roots.map(\.role) == ["the project folder", "the run's scratch folder"])

        let trusted = WriteBoundary(
            project: layout.project.path, state: state, scratch: layout.scratch.path,
            trusted: WriteBoundary.trustedPaths(in: ["RUNNER_TRUSTED_PATHS": layout.outside.path + "/state"]))
        #expect(Self.refusal(trusted, layout.outside.path + "/state/p/lock.json") == nil)
        #expect(Self.refusal(trusted, layout.outside.path + "/elsewhere.json") != nil)
    }

    @Test func aRefusedPathIsPrintedEscaped() throws {
        let layout = try Layout()
        defer { layout.remove() }
        let refusal = try #require(Self.refusal(layout.boundary(), layout.outside.path + "/a\u{1B}[2J\nb.mp4"))
        #expect(!refusal.description.contains("\u{1B}") && !refusal.description.contains("\n"))
    }

    // MARK: - Names from outside

    @Test(arguments: [
        ("alice/../../../../tmp/escape/evil.png", "`..` segment"), ("./frame.png", "`.` segment"),
        ("a//b.png", "empty segment"),
        ("/etc/x.png", "begins with `/`"), ("a\\..\\b.png", "backslash"),
        ("frame\u{1B}]0;x\u{07}.png", "control characters"),
        ("frame\n::error::x.png", "control characters"), ("a/\u{202E}gnp.exe", "control characters"),
    ])
    func aNameThatCouldLeadAPathAstrayIsRefused(name: String, problem: String) throws {
        let found = try #require(FrameName.problem(name), "\(InertText.escaped(name)) was accepted")
        #expect(found.contains(problem), "\(found)")
    }

    @Test func ordinaryNamesPass() {
        for name in ["frame_01.png", "alice/shot 2.JPG", "a.b.c/d..e.webp", "été/über.png", "..hidden.png"] {
            #expect(FrameName.problem(name) == nil, "\(name) was refused")
        }
    }

    @Test func aScratchExtensionIsAlwaysPlain() {
        #expect(FrameName.fileExtension(of: "frame.PNG") == "PNG")
        #expect(FrameName.fileExtension(of: "s3://b/a.b/../../x") == "img")
        #expect(FrameName.fileExtension(of: "noext") == "img")
        #expect(FrameName.fileExtension(of: "x.p\u{1B}g") == "img")
    }
}
