import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

@Suite struct LocalStoreTests {
    @Test func roundTripListHeadDelete() async throws {
        let root = try Scratch.folder()
        let work = try Scratch.folder()
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: work)
        }
        let store = LocalStore(root: root.path + "/")
        let source = try Scratch.randomFile(size: 300_000, in: work)
        try await store.put("a/b/c.bin", from: source, contentType: nil)
        try await store.put("a/d.bin", from: source, contentType: nil)
        try await store.put("ab.bin", from: source, contentType: nil)
        #expect(try await store.head("a/b/c.bin").size == 300_000)
        #expect(try await store.list(prefix: "a/").collect().map(\.key) == ["a/b/c.bin", "a/d.bin"])
        #expect(try await store.list(prefix: "a").collect().map(\.key) == ["a/b/c.bin", "a/d.bin", "ab.bin"])
        let copy = work.appendingPathComponent("copy")
        try await store.get("a/b/c.bin", to: copy)
        #expect(try SHA256Digest.hex(ofFile: copy.path) == SHA256Digest.hex(ofFile: source.path))
        try await store.delete("a/d.bin")
        try await store.delete("a/d.bin")
        await #expect(throws: StorageError.notFound(location: root.path + "/a/d.bin")) {
            try await store.head("a/d.bin")
        }
        #expect(try await store.presignGet("ab.bin", expiry: .seconds(60)).isFileURL)
    }

    /// A file whose name is as long as a file system takes (255 bytes) is written, created and replaced: its
    /// temporary sibling (`.NAME.runner-UUID.tmp`) is shortened to fit rather than refused as too long.
    @Test func aNameOfTheLongestLengthIsWrittenThroughAShortenedTemporarySibling() async throws {
        let root = try Scratch.folder()
        let work = try Scratch.folder()
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: work)
        }
        let store = LocalStore(root: root.path + "/")
        let source = try Scratch.randomFile(size: 1000, in: work)
        // 255 bytes, ending in a character of 2 bytes, so that shortening must keep whole characters.
        let name = String(repeating: "x", count: 248) + "_é.mp4"
        #expect(name.utf8.count == 255)
        try await store.put("clips/\(name)", from: source, contentType: nil)
        #expect(try await store.head("clips/\(name)").size == 1000)
        let data = Data("v1".utf8)
        _ = try await store.create("state/\(name)", data: data, contentType: nil)
        let tag = try #require(try await store.readTagged("state/\(name)")).tag
        try await store.replace("state/\(name)", data: Data("v2".utf8), ifMatch: tag, contentType: nil)
        #expect(try await store.read("state/\(name)") == Data("v2".utf8))
        let hidden = LocalFiles.hiddenName(for: name, suffix: ".runner-\(UUID().uuidString).tmp")
        #expect(hidden.utf8.count <= LocalFiles.nameMax && hidden.hasPrefix(".xxx") && hidden.hasSuffix(".tmp"))
        #expect(LocalStore.isTemporary(hidden))
    }

    @Test func createIsExclusive() async throws {
        let root = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = LocalStore(root: root.path)
        let first = try Scratch.randomFile(size: 10, in: root, name: "first")
        let second = try Scratch.randomFile(size: 20, in: root, name: "second")
        #expect(try await store.create("state/x.json", from: first, contentType: nil) == .created)
        #expect(try await store.create("state/x.json", from: second, contentType: nil) == .alreadyExists)
        #expect(try await store.head("state/x.json").size == 10)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("state").path)
        #expect(leftovers == ["x.json"])
    }

    @Test func unfinishedWritesAreNotListed() async throws {
        let root = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([1]).write(to: root.appendingPathComponent("done.png"))
        try Data([1]).write(to: root.appendingPathComponent(".done2.png.runner-1234.tmp"))
        #expect(try await LocalStore(root: root.path).list(prefix: "").collect().map(\.key) == ["done.png"])
    }

    @Test func storesAreChosenByLocation() async throws {
        let local = try await ObjectStores.open(.local(path: "frames/"), workingDirectory: "/tmp/project")
        #expect(local.store is LocalStore)
        #expect(local.key == "tmp/project/frames/")
        let remote = try await ObjectStores.open(
            .s3(bucket: "frames", key: "shots/"), settings: S3Settings(commandLineEndpoint: "http://127.0.0.1:9"),
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "HOME": "/nonexistent"])
        #expect((remote.store as? S3Store)?.bucket == "frames")
        #expect(remote.key == "shots/")
    }
}

@Suite struct LocalStoreLinkTests {
    @Test func aFolderThatIsASymbolicLinkIsListed() async throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: real.appendingPathComponent("a.png"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("linked").path, withDestinationPath: real.path)
        let store = LocalStore(root: folder.path)
        let keys = try await store.list(prefix: "linked/").collect().map(\.key)
        #expect(keys == ["linked/a.png"])
    }
}
