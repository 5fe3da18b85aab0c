import Foundation
import TestSupport
import Testing

/// Reproduction 3 of issue #15 through the commands a user types: a bucket in eu-west-1 with us-east-1 configured.
/// `runner storage cp` said only "HTTP 301 HTTP301"; now the region is found from S3's answer and used.
@Suite struct StorageCommandRegionTests {
    @Test func storageCopyAndFramesWorkOnABucketInAnotherRegion() throws {
        let bucket = "rt-cp-region-\(UUID().uuidString.lowercased().prefix(8))"
        let s3 = try RegionalS3(bucket: bucket, region: "eu-west-1")
        defer { s3.stop() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_ENDPOINT_URL_S3"] = s3.endpoint.absoluteString
        environment["AWS_ACCESS_KEY_ID"] = "AKIAREGIONTEST000000"
        environment["AWS_SECRET_ACCESS_KEY"] = "CANARY-region-secret-3a7d"
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"

        let download = try run(
            PackagePaths.runner, ["storage", "cp", "s3://\(bucket)/frames/a.png", "a.png"],
            environment: environment, in: folder)
        #expect(download.status == 0, "\(download.stderr)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.png")) == Data("png".utf8))

        try Data("clip".utf8).write(to: folder.appendingPathComponent("clip.mp4"))
        let upload = try run(
            PackagePaths.runner, ["storage", "cp", "clip.mp4", "s3://\(bucket)/clips/"], environment: environment,
            in: folder)
        #expect(upload.status == 0, "\(upload.stderr)")

        let frames = try run(
            PackagePaths.runner, ["frames", "s3://\(bucket)/frames/"], environment: environment, in: folder)
        #expect(frames.status == 0 && frames.stdout.contains("a.png"), "\(frames.stdout)\(frames.stderr)")
        let output = download.stdout + download.stderr + upload.stdout + upload.stderr + frames.stdout + frames.stderr
        #expect(!output.contains("HTTP301") && !output.contains("CANARY-region-secret-3a7d"), "\(output)")
        #expect(
            s3.requests().contains {
                $0.method == "PUT" && $0.path == "/\(bucket)/clips/clip.mp4" && $0.region == "eu-west-1"
            })
    }
}
