import Foundation
import Manifest
import Stages
import Storage
import TestSupport
import Testing

/// Folders as people have them (issue #14): sidecar files left out and named, HEIC taken, broken frames refused
/// from their header before anything is planned.
@Suite struct FrameIntakeTests {
    func folder(_ files: [String: Data]) throws -> (LocalStore, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-intake-\(UUID().uuidString)")
        for (name, data) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return (LocalStore(root: root.path), root)
    }

    /// Issue #14, reproduction 3: a folder from a Mac zip lists its 3 frames, and names every other file with why.
    @Test func macAndWindowsSidecarsAreNotFramesAndAreNamed() async throws {
        var files: [String: Data] = [:]
        for index in 1...3 {
            files["shots/frame_0\(index).jpg"] = Data([0xFF, 0xD8, 0xFF])
            files["shots/._frame_0\(index).jpg"] = Data("Mac OS X        ATTR".utf8)
            files["shots/__MACOSX/shots/._frame_0\(index).jpg"] = Data("Mac OS X        ATTR".utf8)
        }
        for name in [
            ".DS_Store", "Thumbs.db", "desktop.ini", ".hidden/frame_09.jpg", ".frame_08.jpg", "notes.txt", "cover.gif",
        ] {
            files["shots/" + name] = Data([1])
        }
        let (store, root) = try folder(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let listing = try await FrameListing.listing(in: store, prefix: "shots/")
        #expect(listing.frames.map(\.name) == ["frame_01.jpg", "frame_02.jpg", "frame_03.jpg"])
        let reasons = Dictionary(uniqueKeysWithValues: listing.skipped.map { ($0.name, $0.reason) })
        #expect(reasons.count == 13)
        #expect(reasons["._frame_01.jpg"]?.contains("AppleDouble") == true)
        #expect(reasons["__MACOSX/shots/._frame_02.jpg"]?.contains("__MACOSX") == true)
        #expect(reasons[".DS_Store"]?.contains(".DS_Store") == true)
        #expect(reasons["Thumbs.db"]?.contains("Thumbs.db") == true)
        #expect(reasons["desktop.ini"]?.contains("desktop.ini") == true)
        #expect(reasons[".hidden/frame_09.jpg"]?.contains("hidden") == true)
        #expect(reasons[".frame_08.jpg"]?.contains("hidden") == true)
        #expect(reasons["notes.txt"]?.contains("not an image type") == true)
        #expect(reasons["cover.gif"]?.contains("not an image type") == true)
    }

    /// A file an `include` pattern leaves out is named too, and HEIC/AVIF are image types (reproduction 4).
    @Test func includeMismatchesAreNamedAndHEICIsAnImage() async throws {
        let (store, root) = try folder([
            "f/IMG_0001.JPG": Data([1]), "f/IMG_0002.HEIC": Data([1]), "f/IMG_0003.avif": Data([1]),
            "f/extra.png": Data([1]),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let listing = try await FrameListing.listing(in: store, prefix: "f", include: ["*.heic", "*.jpg", "*.avif"])
        #expect(listing.frames.map(\.name) == ["IMG_0001.JPG", "IMG_0002.HEIC", "IMG_0003.avif"])
        #expect(listing.skipped.map(\.name) == ["extra.png"])
        #expect(listing.skipped.first?.reason == "matches no `include` pattern")
        let all = try await FrameListing.listing(in: store, prefix: "f", include: FramesOptions.defaultInclude)
        #expect(all.frames.count == 4)
    }

    /// Issue #14, reproduction 5 and its kin: the frames stage reads each local frame's header; an empty, cut-short or
    /// undecodable frame is refused for its content (never handed on), with the reason.
    @Test func brokenFramesAreRefusedFromTheirHeader() async throws {
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let good = scratch.appendingPathComponent("good.png").path
        try TestStills.banded(good, width: 160, height: 90, band: 10)
        let png = try Data(contentsOf: URL(fileURLWithPath: good))
        let (store, root) = try folder([
            "f/frame_1.png": png, "f/frame_2.png": png.prefix(png.count - 20),
            "f/frame_3.png": Data(), "f/frame_4.jpg": Data("<html>not found</html>".utf8),
            "f/frame_5.png": png + Data([0]),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        _ = store
        let stores = StoreCache(settings: S3Settings(), environment: [:])
        let manifest = """
            version: 1
            name: intake
            providers: { draft: { type: kenburns } }
            stages:
              frames: { type: frames, from: \(root.path)/f/ }
              clips: { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, to: \(root.path)/clips/ }
            """
        let loaded = ManifestLoader.load(bytes: Array(manifest.utf8), file: "pipeline.yaml", directory: root.path)
        let pipeline = try #require(loaded.pipeline, "\(loaded.diagnostics)")
        guard case .frames(let options)? = pipeline.stages.first(where: { $0.name == "frames" })?.kind else {
            Issue.record("no frames stage")
            return
        }
        let selection = try await FramesStage(name: "frames", options: options).select(stores: stores)
        // Bytes after a PNG's end chunk are ignored by decoders: frame_5 is usable.
        #expect(selection.frames.map(\.name) == ["frame_1.png", "frame_5.png"])
        let refused = Dictionary(uniqueKeysWithValues: selection.refused.map { ($0.name, $0) })
        #expect(refused.values.allSatisfy { $0.kind == .content })
        #expect(refused["frame_2.png"]?.reason.hasPrefix("truncated") == true)
        #expect(refused["frame_3.png"]?.reason.hasPrefix("empty") == true)
        #expect(refused["frame_4.jpg"]?.reason.hasPrefix("undecodable") == true)
        #expect(refused.count == 3)
    }
}
