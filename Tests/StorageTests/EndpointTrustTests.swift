import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// Credentials go only where the trusted side sends them (docs/security.md): a manifest's `s3.endpoint` is refused
/// unless its host is public S3 or allowed by `RUNNER_TRUSTED_HOSTS` / `--trust-host`; the flag's and the
/// environment's endpoints are trusted.
@Suite struct EndpointTrustTests {
    static let secretKey = "CANARY-aws-secret-7f3c9e"
    static let keyID = "CANARYKEYID7F3C9E"
    static let token = "CANARY-session-token-7f3c9e"
    static let environment = [
        "AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": token,
        "HOME": "/nonexistent",
    ]

    @Test func aManifestEndpointOnAnUntrustedHostIsRefusedBeforeAnyRequest() async throws {
        let listener = try StandIn(.ok)
        defer { listener.stop() }
        // Repro 1 of issue 12: the secret in the endpoint's path, the key ID and token in the signed headers.
        let settings = S3Settings(endpoint: "http://127.0.0.1:\(listener.port)/\(Self.secretKey)")
        var refusal: StorageError?
        do {
            let (store, key) = try await ObjectStores.open(
                .s3(bucket: "frames", key: "f/"), settings: settings,
                environment: Self.environment)
            _ = try await store.list(prefix: key).collect()
        } catch {
            refusal = error
        }
        #expect(refusal == .untrustedEndpoint(field: "s3.endpoint", host: "127.0.0.1", port: listener.port))
        let message = refusal?.description ?? ""
        #expect(message.contains("RUNNER_TRUSTED_HOSTS=127.0.0.1:\(listener.port)"), "\(message)")
        #expect(message.contains("--trust-host 127.0.0.1:\(listener.port)"), "\(message)")
        #expect(!message.contains(Self.secretKey))
        #expect(listener.requests().isEmpty, "the untrusted endpoint was contacted: \(listener.received())")
    }

    @Test func theTrustedSideAllowsAManifestEndpointByEnvironmentOrFlag() throws {
        let settings = S3Settings(endpoint: "http://minio.internal:9000")
        var environment = Self.environment
        environment["RUNNER_TRUSTED_HOSTS"] = "other.host, minio.internal:9000"
        #expect(try S3Configuration.resolve(settings, environment: environment).endpoint?.host == "minio.internal")
        #expect(
            try S3Configuration.resolve(
                settings, environment: Self.environment,
                trustedHosts: TrustedHosts(environment: [:], flags: ["minio.internal"])
            ).endpoint != nil)
        // Another port of an allowed host:port is not allowed.
        #expect(throws: StorageError.untrustedEndpoint(field: "s3.endpoint", host: "minio.internal", port: 9001)) {
            try S3Configuration.resolve(S3Settings(endpoint: "http://minio.internal:9001"), environment: environment)
        }
    }

    @Test func endpointsFromTheFlagAndTheEnvironmentArePublicS3AreTrusted() throws {
        var environment = Self.environment
        #expect(
            try S3Configuration.resolve(S3Settings(commandLineEndpoint: "http://127.0.0.1:9"), environment: environment)
                .endpoint != nil)
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:8"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.port == 8)
        environment["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:7"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.port == 7)
        for host in ["s3.amazonaws.com", "s3.eu-west-1.amazonaws.com", "s3-eu-west-1.amazonaws.com"] {
            #expect(
                try S3Configuration.resolve(S3Settings(endpoint: "https://\(host)"), environment: Self.environment)
                    .endpoint?.host == host)
        }
        // Other amazonaws.com names run anyone's code (API Gateway, website hosting).
        #expect(throws: StorageError.self) {
            try S3Configuration.resolve(
                S3Settings(endpoint: "https://abc.execute-api.us-east-1.amazonaws.com"), environment: Self.environment)
        }
    }

    @Test func aManifestEndpointWithUserInformationIsRefusedEvenOnATrustedHost() {
        let trusted = TrustedHosts(environment: [:], flags: ["127.0.0.1"])
        #expect(throws: StorageError.endpointWithUserInfo(field: "s3.endpoint")) {
            try S3Configuration.resolve(
                S3Settings(endpoint: "http://user:\(Self.secretKey)@127.0.0.1:9"), environment: Self.environment,
                trustedHosts: trusted)
        }
    }

    @Test func anInvalidEndpointIsNamedWithoutTheSecretItHolds() {
        for settings in [
            S3Settings(endpoint: "ftp://host/\(Self.secretKey)?token=\(Self.token)"),
            S3Settings(commandLineEndpoint: "ftp://host/\(Self.secretKey)"),
        ] {
            do {
                _ = try S3Configuration.resolve(settings, environment: Self.environment)
                Issue.record("an ftp endpoint was accepted")
            } catch {
                #expect(!error.description.contains(Self.secretKey), "\(error.description)")
                #expect(!error.description.contains(Self.token), "\(error.description)")
                #expect(error.description.contains("ftp://host/<redacted>"), "\(error.description)")
            }
        }
    }
}
