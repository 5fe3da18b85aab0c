import Foundation
import Storage
import TestSupport
import Testing

/// A manifest cannot make the runner write outside its project (issue #12, docs/security.md): names from outside
/// never become paths that climb out, and every local write is checked on its final path.
@Suite(.serialized)
struct ProjectBoundaryTests {
    /// A fresh folder outside the project that no write may reach, unique per test, and everything in it.
    struct Outside {
        let folder: URL

        init() throws {
            folder = URL(fileURLWithPath: "/tmp/runner-escape-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        var contents: [String] { (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? [] }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// The reproduction: an S3 frame key under the frames prefix whose name climbs out, with a local `to:`.
    @Test func anS3FrameKeyWithDotDotSegmentsIsRefusedAndWritesNothingOutside() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let escape = "runner-escape-\(UUID().uuidString.prefix(8))"
        let target = URL(fileURLWithPath: "/tmp/\(escape)")
        defer { try? FileManager.default.removeItem(at: target) }
        let store = try await Moto.store("boundary")
        let frame = URL(fileURLWithPath: project.path("frames/frame_01.png"))
        try await store.put("reference-frames/alice/frame_01.png", from: frame, contentType: "image/png")
        try await store.put(
            "reference-frames/alice/../../../../../../../../tmp/\(escape)/evil.png", from: frame,
            contentType: "image/png")
        for (name, value) in Moto.awsEnvironment() where name.hasPrefix("AWS_") { project.environment[name] = value }
        project.environment["AWS_ENDPOINT_URL"] = try Moto.endpoint().absoluteString
        try project.write(
            manifest: Manifests.local(name: "boundary").replacingOccurrences(
                of: "from: ./frames/", with: "from: s3://\(store.bucket)/reference-frames/"))

        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        let refused = plan.items(of: "frames")
        #expect(refused.map(\.action) == ["refused"], "\(refused)")
        #expect(refused.first?.reason?.contains("has a `..` segment") == true)
        #expect(plan.items(of: "clips").map(\.item) == ["alice/frame_01.png"])
        let text = try project.runner("plan", project.manifest)
        #expect(text.stdout.contains("  x alice/../"), "\(text.stdout)")

        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.path), "apply wrote to \(target.path)")
        #expect(
            project.files(under: "out/clips").keys.map { ($0 as NSString).lastPathComponent }.allSatisfy {
                $0.hasPrefix("frame_01-")
            })
        #expect(apply.stdout.contains("refused: its name has a `..` segment"), "\(apply.stdout)")
    }

    @Test func aLocalFrameWhoseNameHoldsABackslashOrAControlCharacterIsRefused() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        for name in ["a\\..\\b.png", "bell\u{07}.png"] {
            try FileManager.default.copyItem(
                atPath: project.path("frames/frame_01.png"), toPath: project.path("frames/\(name)"))
        }
        try project.write(manifest: Manifests.local())
        let plan = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(
            Set(plan.items(of: "frames").map(\.item)) == ["a\\..\\b.png", "bell\\u{7}.png"], "names are not escaped")
        #expect(plan.items(of: "clips").map(\.item) == ["frame_01.png"])
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(project.files(under: "out/clips").count == 1)
        #expect(!apply.stdout.contains("\u{07}"))
    }

    @Test func anOutputFolderThatIsASymbolicLinkOutOfTheProjectIsRefused() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let outside = try Outside()
        defer { outside.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: project.path("out"), withDestinationPath: outside.folder.path)
        try project.write(manifest: Manifests.local())
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status != 0, "\(apply.stdout)")
        let output = apply.stdout + apply.stderr
        #expect(output.contains("refused to write \(project.path("out/clips/"))"), "\(output)")
        #expect(output.contains("it leads to \(outside.folder.path)/clips"), "\(output)")
        #expect(outside.contents.isEmpty, "apply wrote outside the project: \(outside.contents)")
    }

    @Test func aStateFolderThatIsASymbolicLinkOutOfTheProjectIsRefused() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let outside = try Outside()
        defer { outside.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: project.path(".runner"), withDestinationPath: outside.folder.path)
        try project.write(manifest: Manifests.local())
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status != 0, "\(apply.stdout)")
        // Refused before the lock is taken: the state folder itself is checked first.
        #expect(
            (apply.stdout + apply.stderr).contains("refused to write \(project.path(".runner/state/"))"),
            "\(apply.stdout)\(apply.stderr)")
        #expect(outside.contents.isEmpty, "apply wrote outside the project: \(outside.contents)")
        #expect(project.files(under: "out").isEmpty, "apply made clips without a state to record them in")
    }

    @Test func aPublishedFileThatIsASymbolicLinkOutOfTheProjectIsNotWrittenThrough() throws {
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let outside = try Outside()
        defer { outside.remove() }
        try FileManager.default.createDirectory(atPath: project.path("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: project.path("out/film.mp4"), withDestinationPath: outside.folder.path + "/film.mp4")
        try project.write(manifest: Manifests.local())
        let apply = try project.runner("apply", project.manifest)
        #expect(apply.status != 0, "\(apply.stdout)")
        #expect(
            (apply.stdout + apply.stderr).contains("refused to write \(project.path("out/film.mp4"))"),
            "\(apply.stdout)\(apply.stderr)")
        #expect(outside.contents.isEmpty, "apply wrote outside the project: \(outside.contents)")
    }
}
