import Foundation
import TestSupport
import Testing

@testable import Storage

/// The AWS CLI as an independent client: what one writes, the other reads back byte for byte.
@Suite struct AWSCLICrossCheckTests {
    func aws(_ arguments: [String]) throws -> (status: Int32, output: String, errorOutput: String) {
        try Scratch.run(
            try Scratch.which("aws"), ["--endpoint-url", try Moto.endpoint().absoluteString] + arguments,
            environment: Moto.awsEnvironment())
    }

    @Test(arguments: [1_000, 13 << 20])
    func awsUploadsAndTheRunnerReads(size: Int) async throws {
        let store = try await Moto.store("cli-up")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Scratch.randomFile(size: size, in: folder)
        let upload = try aws(["s3", "cp", source.path, "s3://\(store.bucket)/from aws/clip (1).mp4"])
        #expect(upload.status == 0, "\(upload.errorOutput)")
        let copy = folder.appendingPathComponent("copy")
        try await store.get("from aws/clip (1).mp4", to: copy)
        #expect(try Data(contentsOf: copy) == Data(contentsOf: source))
    }

    @Test(arguments: [1_000, 13 << 20])
    func theRunnerUploadsAndAWSReads(size: Int) async throws {
        let store = try await Moto.store("cli-down")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Scratch.randomFile(size: size, in: folder)
        try await store.put("from runner/clip+1 é.mp4", from: source, contentType: nil)
        let copy = folder.appendingPathComponent("copy")
        let download = try aws(["s3", "cp", "s3://\(store.bucket)/from runner/clip+1 é.mp4", copy.path])
        #expect(download.status == 0, "\(download.errorOutput)")
        #expect(try Data(contentsOf: copy) == Data(contentsOf: source))
    }

    /// S3 keeps the CRC32 an upload carries; the AWS CLI reads it back, and Python's zlib computes what it
    /// must be: the file's CRC32 for one PUT, and for parts the CRC32 of the parts' CRC32s.
    @Test(arguments: [(size: 1_000, parts: 0), (size: 20 << 20, parts: 3)])
    func uploadsCarryTheChecksumsTheAWSCLIReadsBack(size: Int, parts: Int) async throws {
        let store = try await Moto.store("cli-crc")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Scratch.randomFile(size: size, in: folder)
        try await store.put("checked.bin", from: source, contentType: nil)
        let head = try aws([
            "s3api", "head-object", "--bucket", store.bucket, "--key", "checked.bin", "--checksum-mode", "ENABLED",
        ])
        try #require(head.status == 0, "\(head.errorOutput)")
        let stored = try JSONSerialization.jsonObject(with: Data(head.output.utf8)) as? [String: Any]
        let script = """
            import base64, sys, zlib
            data, part, parts = open(sys.argv[1], "rb").read(), 8 << 20, int(sys.argv[2])
            b64 = lambda crc: base64.b64encode(crc.to_bytes(4, "big")).decode()
            if parts == 0:
                print(b64(zlib.crc32(data)))
            else:
                crcs = b"".join(zlib.crc32(data[i:i + part]).to_bytes(4, "big") for i in range(0, len(data), part))
                print(b64(zlib.crc32(crcs)))
            """
        let expected = try Scratch.run(try Scratch.which("python3"), ["-c", script, source.path, String(parts)])
        try #require(expected.status == 0, "\(expected.errorOutput)")
        // S3 writes a composite checksum with "-" and the part count after it; moto leaves the count out.
        let checksum = expected.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let accepted = parts == 0 ? [checksum] : [checksum, "\(checksum)-\(parts)"]
        #expect(
            accepted.contains(stored?["ChecksumCRC32"] as? String ?? ""),
            "S3 kept \(stored?["ChecksumCRC32"] ?? "no checksum"); the file's is \(checksum)")
    }
}
