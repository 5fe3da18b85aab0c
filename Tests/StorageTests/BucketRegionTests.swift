import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// Buckets in other regions are found the way AWS SDKs find them and then used (issue #15): the 301's
/// `x-amz-bucket-region`, or a HEAD on the bucket; remembered per bucket; never by following the redirect.
@Suite struct BucketRegionTests {
    static func environment(_ endpoint: URL) -> [String: String] {
        [
            "AWS_ENDPOINT_URL_S3": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "AKIAREGIONTEST000000",
            "AWS_SECRET_ACCESS_KEY": "CANARY-region-secret-3a7d", "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// Reproduction 3: `storage cp`, the listing and an upload against a bucket in eu-west-1 with us-east-1 configured
    /// said only "HTTP 301 HTTP301"; now the region is found on the first answer and every request after it uses it.
    @Test func aBucketInAnotherRegionIsFoundFromTheRedirectAndUsed() async throws {
        let elsewhere = try StandIn(.ok)
        defer { elsewhere.stop() }
        let bucket = Moto.bucketName("eu")
        let s3 = try RegionalS3(bucket: bucket, region: "eu-west-1", elsewhere: elsewhere.endpoint.absoluteString)
        defer { s3.stop() }
        let (store, _) = try await ObjectStores.open(
            try Location(parsing: "s3://\(bucket)/"), environment: Self.environment(s3.endpoint))
        #expect(try await store.list(prefix: "frames/").collect().map(\.key) == ["frames/a.png"])
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await store.get("frames/a.png", to: folder.appendingPathComponent("a.png"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.png")) == Data("png".utf8))
        let file = try Scratch.randomFile(size: 2048, in: folder)
        try await store.put("clips/a.mp4", from: file, contentType: nil)
        #expect(try await store.head("clips/a.mp4").size == 2048)
        let requests = s3.requests()
        #expect(
            requests.filter { $0.region == "us-east-1" }.count == 1,
            "\(requests.map { "\($0.method) \($0.path) \($0.region)" })")
        #expect(requests.dropFirst().allSatisfy { $0.region == "eu-west-1" })
        #expect(elsewhere.requests().isEmpty, "a signed request followed the redirect")
    }

    /// A 301 that names no region (no header, no body) is answered as the SDKs answer it: a HEAD on the bucket.
    @Test func aRedirectThatNamesNoRegionIsAnsweredByAHeadOnTheBucket() async throws {
        let bucket = Moto.bucketName("headonly")
        let s3 = try RegionalS3(bucket: bucket, region: "ap-southeast-2", hint: .headBucketOnly)
        defer { s3.stop() }
        let (store, _) = try await ObjectStores.open(
            try Location(parsing: "s3://\(bucket)/"), environment: Self.environment(s3.endpoint))
        #expect(try await store.head("frames/a.png").size == 3)
        let requests = s3.requests().map { "\($0.method) \($0.path) \($0.region)" }
        #expect(
            requests == [
                "HEAD /\(bucket)/frames/a.png us-east-1", "HEAD /\(bucket) us-east-1",
                "HEAD /\(bucket)/frames/a.png ap-southeast-2",
            ], "\(requests)")
    }

    /// Remembered per bucket for the process: another store of the same bucket signs for its region at once.
    @Test func theRegionIsRememberedPerBucket() async throws {
        let bucket = Moto.bucketName("remember")
        let s3 = try RegionalS3(bucket: bucket, region: "sa-east-1")
        defer { s3.stop() }
        let location = try Location(parsing: "s3://\(bucket)/")
        _ = try await ObjectStores.open(location, environment: Self.environment(s3.endpoint)).store.head("frames/a.png")
        let before = s3.requests().count
        let (again, _) = try await ObjectStores.open(location, environment: Self.environment(s3.endpoint))
        _ = try await again.list(prefix: "").collect()
        #expect(s3.requests().dropFirst(before).map(\.region) == ["sa-east-1"])
    }

    /// On AWS a bucket found in another region is addressed at that region's S3 endpoint; a custom endpoint stays put.
    @Test func theDiscoveredRegionPicksTheRegionalAWSEndpoint() throws {
        let aws = S3Configuration(region: "us-east-1", endpoint: nil, credentials: CredentialChain([]), secrets: .none)
        #expect(
            aws.addressing(bucket: "media", region: "eu-west-1").origin == "https://media.s3.eu-west-1.amazonaws.com")
        let custom = S3Configuration(
            region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:9000"),
            credentials: CredentialChain([]), secrets: .none)
        #expect(custom.addressing(bucket: "media", region: "eu-west-1").origin == "http://127.0.0.1:9000")
    }

    /// S3's errors name the operation, the bucket and key, S3's code and what to do.
    @Test func s3ErrorsNameTheOperationBucketKeyCodeAndFix() async throws {
        let server = try StandIn(.s3Error(status: 403, code: "InvalidObjectState", region: "-"))
        defer { server.stop() }
        let configuration = S3Configuration(
            region: "us-east-1", endpoint: server.endpoint, credentials: CredentialChain([]), secrets: .none)
        let store = S3Store(bucket: "b", configuration: configuration, credentials: Moto.credentials)
        do {
            _ = try await store.list(prefix: "frames/").collect()
            Issue.record("the listing succeeded")
        } catch {
            #expect(
                error.description == "S3 refused ListObjectsV2 on s3://b/frames/ with HTTP 403 InvalidObjectState "
                    + "(the region is wrong); the object is archived (Glacier or Deep Archive); restore it first")
        }
        let folder = try Scratch.folder()
        let file = try Scratch.randomFile(size: 16, in: folder)
        do {
            try await store.put("clips/x.mp4", from: file, contentType: nil)
            Issue.record("the upload succeeded")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "S3 refused PutObject on s3://b/clips/x.mp4 with HTTP 403 InvalidObjectState"),
                "\(error.description)")
        }
    }
}
