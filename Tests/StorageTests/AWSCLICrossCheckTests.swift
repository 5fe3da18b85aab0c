import Foundation
@testable import Storage
import TestSupport
import Testing

/// The AWS CLI as an independent client: what one writes, the other reads back byte for byte.
@Suite struct AWSCLICrossCheckTests {
    func aws(_ arguments: [String]) throws -> (status: Int32, output: String, errorOutput: String) {
        try Scratch.run(try Scratch.which("aws"), ["--endpoint-url", try Moto.endpoint().absoluteString] + arguments,
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
}
