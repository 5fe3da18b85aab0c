import Foundation
import Manifest
import Stages
import Storage
import Testing

@Suite struct FrameListingTests {
    func folder(with names: [String]) throws -> (LocalStore, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-frames-\(UUID().uuidString)")
        for (index, name) in names.enumerated() {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: 7, count: index + 1).write(to: url)
        }
        return (LocalStore(root: root.path), root)
    }

    @Test func imagesOnlyByExtensionInAnyCase() async throws {
        let (store, root) = try folder(with: [
            "shots/a.png", "shots/b.JPG", "shots/c.jpeg", "shots/d.WebP", "shots/notes.txt",
            "shots/e.png.bak", "shots/noext", "other/f.png",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let frames = try await FrameListing.frames(in: store, prefix: "shots")
        #expect(frames.map(\.name) == ["a.png", "b.JPG", "c.jpeg", "d.WebP"])
        #expect(frames.map(\.key) == ["shots/a.png", "shots/b.JPG", "shots/c.jpeg", "shots/d.WebP"])
        #expect(frames.map(\.size) == [1, 2, 3, 4])
        #expect(frames.allSatisfy { $0.modified != nil })
    }

    @Test func naturalLexicalAndModifiedOrders() async throws {
        let (store, root) = try folder(with: ["f/frame_10.png", "f/frame_2.png", "f/frame_1.png", "f/Frame_3.png"])
        defer { try? FileManager.default.removeItem(at: root) }
        // Oldest first: frame_2, then frame_10, then frame_1 and Frame_3 sharing a time (natural tie-break).
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for (name, offset) in [("frame_2.png", 0.0), ("frame_10.png", 10), ("frame_1.png", 20), ("Frame_3.png", 20)] {
            try FileManager.default.setAttributes(
                [.modificationDate: base.addingTimeInterval(offset)],
                ofItemAtPath: root.appendingPathComponent("f/" + name).path)
        }
        #expect(
            try await FrameListing.frames(in: store, prefix: "f/", order: .natural).map(\.name)
                == ["Frame_3.png", "frame_1.png", "frame_2.png", "frame_10.png"])
        #expect(
            try await FrameListing.frames(in: store, prefix: "f/", order: .lexical).map(\.name)
                == ["Frame_3.png", "frame_1.png", "frame_10.png", "frame_2.png"])
        #expect(
            try await FrameListing.frames(in: store, prefix: "f/", order: .modified).map(\.name)
                == ["frame_2.png", "frame_10.png", "Frame_3.png", "frame_1.png"])
    }

    @Test func includeGlobsKeepAnyMatch() async throws {
        let (store, root) = try folder(with: [
            "f/intro_1.png", "f/intro_2.jpg", "f/scene_1.png", "f/sub/scene_2.png", "f/outro.png",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(
            try await FrameListing.frames(in: store, prefix: "f", include: ["intro_*"]).map(\.name) == [
                "intro_1.png", "intro_2.jpg",
            ])
        #expect(
            try await FrameListing.frames(in: store, prefix: "f", include: ["scene_*", "outro.png"]).map(\.name) == [
                "outro.png", "scene_1.png",
            ])
        #expect(
            try await FrameListing.frames(in: store, prefix: "f", include: ["*scene_?.png"]).map(\.name) == [
                "scene_1.png", "sub/scene_2.png",
            ])
        #expect(
            try await FrameListing.frames(in: store, prefix: "f", include: ["INTRO_*.JPG"]).map(\.name) == [
                "intro_2.jpg"
            ])
    }

    @Test func naturalOrderDetails() {
        #expect(NaturalOrder.precedes("a2", "a10"))
        #expect(!NaturalOrder.precedes("a10", "a2"))
        #expect(NaturalOrder.precedes("a01", "a1"))
        #expect(NaturalOrder.precedes("a", "a1"))
        #expect(NaturalOrder.precedes("x99999999999999999999999", "x100000000000000000000000"))
    }

    @Test func anEmptyOrMissingFolderHasNoFrames() async throws {
        let (store, root) = try folder(with: [])
        #expect(try await FrameListing.frames(in: store, prefix: "nothing/").isEmpty)
        _ = root
    }
}
