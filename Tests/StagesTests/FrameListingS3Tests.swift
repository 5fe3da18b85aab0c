import Foundation
import Manifest
import Stages
import Storage
import Testing

/// The same enumeration over S3, against the moto server scripts/test-servers/moto.sh starts.
@Suite struct FrameListingS3Tests {
    @Test func framesOverS3MatchTheLocalRules() async throws {
        guard let text = ProcessInfo.processInfo.environment["RUNNER_TEST_S3_ENDPOINT"],
            let endpoint = URL(string: text)
        else {
            Issue.record(
                "RUNNER_TEST_S3_ENDPOINT is not set: run the tests through `make test` / scripts/test.sh, which starts moto"
            )
            return
        }
        let configuration = S3Configuration(region: "us-east-1", endpoint: endpoint, credentials: CredentialChain([]))
        let credentials = AWSCredentials(
            accessKeyID: "AKIDFRAMES", secretAccessKey: Secret("frames-secret"), origin: "the test")
        let store = S3Store(
            bucket: "rt-frames-\(UUID().uuidString.lowercased().prefix(8))", configuration: configuration,
            credentials: credentials)
        try await store.createBucket()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runner-frame-\(UUID().uuidString)")
        try Data([1, 2, 3]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for name in [
            "shots/frame_10.png", "shots/frame_2.JPG", "shots/frame 1 (a).webp", "shots/notes.txt", "other/x.png",
        ] {
            try await store.put(name, from: file, contentType: nil)
        }
        let frames = try await FrameListing.frames(in: store, prefix: "shots", order: .natural)
        #expect(frames.map(\.name) == ["frame 1 (a).webp", "frame_2.JPG", "frame_10.png"])
        #expect(frames.allSatisfy { $0.size == 3 && $0.modified != nil })
        #expect(
            try await FrameListing.frames(in: store, prefix: "shots/", include: ["*_?.jpg"]).map(\.key) == [
                "shots/frame_2.JPG"
            ])
    }
}
