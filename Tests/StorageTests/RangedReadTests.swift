import Foundation
import TestSupport
import Testing

@testable import Storage

/// Ranged reads (a frame's first and last bytes, issue #14) against the moto S3 server and on local files.
@Suite(.serialized) struct RangedReadTests {
    /// The stores under test: a bucket on moto and a local folder, each holding `size` random bytes at `key`.
    static func stores(holding source: URL, at key: String) async throws -> [any ObjectStore] {
        let s3 = try await Moto.store("range")
        try await s3.put(key, from: source, contentType: nil)
        let root = source.deletingLastPathComponent().appendingPathComponent("local")
        let local = LocalStore(root: root.path)
        try await local.put(key, from: source, contentType: nil)
        return [s3, local]
    }

    @Test func aRangeIsExactlyItsBytesAtTheHeadTheTailAndTheWhole() async throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let size = (1 << 20) + 70_000
        let source = try Scratch.randomFile(size: size, in: folder)
        let bytes = try Data(contentsOf: source)
        for store in try await Self.stores(holding: source, at: "frames/big.jpg") {
            let etag = try await store.head("frames/big.jpg").etag
            let head = try await store.read("frames/big.jpg", range: 0..<(1 << 20), ifMatch: etag)
            #expect(head == bytes.prefix(1 << 20), "\(store.root)")
            let tail = try await store.read("frames/big.jpg", range: Int64(size - 65_536)..<Int64(size), ifMatch: etag)
            #expect(tail == bytes.suffix(65_536), "\(store.root)")
            let whole = try await store.read("frames/big.jpg", range: 0..<Int64(size), ifMatch: etag)
            #expect(whole == bytes, "\(store.root)")
            #expect(try await store.read("frames/big.jpg", range: 5..<5, ifMatch: etag).isEmpty)
        }
    }

    /// A range past the object's end is an error naming the object, not fewer bytes than asked.
    @Test func aRangePastTheEndIsAnError() async throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Scratch.randomFile(size: 1_000, in: folder)
        for store in try await Self.stores(holding: source, at: "frames/short.png") {
            do {
                _ = try await store.read("frames/short.png", range: 500..<2_000, ifMatch: nil)
                Issue.record("\(store.root): a range past the end returned bytes")
            } catch {
                #expect(error.description.contains("short.png"), "\(error)")
            }
        }
    }

    /// A frame replaced between its listing and its read fails on the listed ETag instead of mixing two versions.
    @Test func anObjectReplacedSinceItWasListedIsNotRead() async throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Moto.store("range-replaced")
        try await store.put(
            "frames/a.png", from: try Scratch.randomFile(size: 4_000, in: folder, name: "first"), contentType: nil)
        let listed = try #require(try await store.list(prefix: "frames/").collect().first?.etag)
        try await store.put(
            "frames/a.png", from: try Scratch.randomFile(size: 4_000, in: folder, name: "second"), contentType: nil)
        do {
            _ = try await store.read("frames/a.png", range: 0..<100, ifMatch: listed)
            Issue.record("a replaced object was read against its old ETag")
        } catch {
            #expect(error.description.contains("changed since it was read"), "\(error)")
            #expect(error.description.contains("frames/a.png"), "\(error)")
        }
        #expect(try await store.read("frames/a.png", range: 0..<100, ifMatch: nil).count == 100)
    }
}
