import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// Against the moto S3 server scripts/test-servers/moto.sh starts (never a mock).
@Suite(.serialized) struct S3RoundTripTests {
    /// Small parts so that 5 MiB + 1 already goes multipart and 100 MiB is fetched in ranges.
    static let options = S3TransferOptions(
        multipartThreshold: 5 << 20, partSize: 5 << 20, downloadPartSize: 8 << 20, concurrency: 4)

    @Test(arguments: [0, 1, (5 << 20) - 1, (5 << 20) + 1, 100 << 20])
    func roundTripKeepsEveryByte(size: Int) async throws {
        let store = try await Moto.store("rt", options: Self.options)
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Scratch.randomFile(size: size, in: folder)
        try await store.put("videos/object-\(size).bin", from: source, contentType: nil)
        let head = try await store.head("videos/object-\(size).bin")
        #expect(head.size == Int64(size))
        let copy = folder.appendingPathComponent("copy.bin")
        let info = try await store.get("videos/object-\(size).bin", to: copy)
        #expect(info.size == Int64(size))
        #expect(try SHA256Digest.hex(ofFile: copy.path) == SHA256Digest.hex(ofFile: source.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func listingFollowsEveryPage() async throws {
        let store = try await Moto.store("list")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tiny = try Scratch.randomFile(size: 1, in: folder)
        let keys = (0..<2_500).map { String(format: "frames/frame_%05d.png", $0) }
        try await forEachConcurrently(keys, limit: 16) { (key: String) async throws(StorageError) in
            try await store.put(key, from: tiny, contentType: nil)
        }
        try await store.put("other/outside.png", from: tiny, contentType: nil)
        let listed = try await store.list(prefix: "frames/").collect()
        #expect(listed.count == 2_500)
        #expect(listed.map(\.key) == keys)
        #expect(listed.allSatisfy { $0.size == 1 && $0.lastModified != nil })
    }

    @Test func awkwardKeysSurviveEveryOperation() async throws {
        let store = try await Moto.store("keys")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = [
            "with space.png", "plus+sign.png", "percent%25 and %.png", "equals=sign.png", "amp&ersand.png",
            "paren(1).png", "unicode-é-日本-🎞.png", "deep/a/b/c/d/e/f/g/h/frame.png", "mix a+b=c&d(e)%f/é x.png",
            "tilde~star*quote'comma,semicolon;colon:at@.png",
        ]
        for (index, key) in keys.enumerated() {
            let source = try Scratch.randomFile(size: 100 + index, in: folder, name: "src-\(index)")
            try await store.put(key, from: source, contentType: nil)
            #expect(try await store.head(key).size == Int64(100 + index), "\(key)")
            let copy = folder.appendingPathComponent("copy-\(index)")
            try await store.get(key, to: copy)
            #expect(try SHA256Digest.hex(ofFile: copy.path) == SHA256Digest.hex(ofFile: source.path), "\(key)")
        }
        let listed = try await store.list(prefix: "").collect().map(\.key)
        #expect(Set(listed) == Set(keys))
        for key in keys { try await store.delete(key) }
        #expect(try await store.list(prefix: "").collect().isEmpty)
    }

    @Test func createOnlyPutRefusesToReplace() async throws {
        let store = try await Moto.store("create", options: Self.options)
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Scratch.randomFile(size: 10, in: folder, name: "first")
        let second = try Scratch.randomFile(size: 20, in: folder, name: "second")
        #expect(try await store.create("state/item.json", from: first, contentType: nil) == .created)
        #expect(try await store.create("state/item.json", from: second, contentType: nil) == .alreadyExists)
        #expect(try await store.head("state/item.json").size == 10)
        let big = try Scratch.randomFile(size: (5 << 20) + 7, in: folder, name: "big")
        #expect(try await store.create("state/big.bin", from: big, contentType: nil) == .created)
        #expect(try await store.create("state/big.bin", from: first, contentType: nil) == .alreadyExists)
        #expect(try await store.head("state/big.bin").size == Int64((5 << 20) + 7))
    }

    @Test func missingBucketIsNamed() async throws {
        let configuration = S3Configuration(
            region: "us-east-1", endpoint: try Moto.endpoint(), credentials: CredentialChain([]))
        let store = S3Store(
            bucket: "rt-no-such-bucket-here", configuration: configuration, credentials: Moto.credentials)
        do {
            _ = try await store.list(prefix: "frames/").collect()
            Issue.record("listing a missing bucket succeeded")
        } catch {
            #expect(
                error == .noSuchBucket(bucket: "rt-no-such-bucket-here", endpoint: try Moto.endpoint().absoluteString))
            #expect(error.description.contains("bucket rt-no-such-bucket-here does not exist"))
        }
    }

    @Test func missingKeyIsNamed() async throws {
        let store = try await Moto.store("nokey")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(
            throws: StorageError.notFound(location: "s3://\(store.bucket)/frames/none.png (HeadObject, NotFound)")
        ) {
            try await store.get("frames/none.png", to: folder.appendingPathComponent("x"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
        try await store.delete("frames/none.png")
    }
}
