import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

@Suite struct CredentialsTests {
    func files(credentials: String, config: String) throws -> [String: String] {
        let folder = try Scratch.folder()
        let credentialsPath = folder.appendingPathComponent("credentials")
        let configPath = folder.appendingPathComponent("config")
        try credentials.write(to: credentialsPath, atomically: true, encoding: .utf8)
        try config.write(to: configPath, atomically: true, encoding: .utf8)
        return [
            "AWS_SHARED_CREDENTIALS_FILE": credentialsPath.path, "AWS_CONFIG_FILE": configPath.path,
            "HOME": folder.path,
        ]
    }

    @Test func environmentVariablesComeFirst() async throws {
        var environment = try files(
            credentials: "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n", config: "")
        environment["AWS_ACCESS_KEY_ID"] = "ENVKEY"
        environment["AWS_SECRET_ACCESS_KEY"] = "envsecret"
        environment["AWS_SESSION_TOKEN"] = "envtoken"
        let found = try await CredentialChain.standard(environment: environment, profile: nil).resolve()
        #expect(found.accessKeyID == "ENVKEY")
        #expect(found.secretAccessKey.revealed() == "envsecret")
        #expect(found.sessionToken?.revealed() == "envtoken")
        #expect(found.origin == "environment variables")
    }

    @Test func profileFromCredentialsFileThenConfigFile() async throws {
        let environment = try files(
            credentials:
                "# comment\n[default]\naws_access_key_id=DEFAULTKEY\naws_secret_access_key=d\n\n[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = devsecret\n",
            config: "[profile ops]\nregion = eu-west-1\naws_access_key_id = OPSKEY\naws_secret_access_key = opssecret\n"
        )
        #expect(
            try await CredentialChain.standard(environment: environment, profile: nil).resolve().accessKeyID
                == "DEFAULTKEY")
        #expect(
            try await CredentialChain.standard(environment: environment, profile: "dev").resolve().accessKeyID
                == "DEVKEY")
        let ops = try await CredentialChain.standard(environment: environment, profile: "ops").resolve()
        #expect(ops.accessKeyID == "OPSKEY")
        #expect(ops.origin.contains("config"))
    }

    @Test func manifestProfileBeatsAWSProfile() throws {
        var environment = try files(
            credentials: "", config: "[profile a]\nregion = eu-north-1\n[profile b]\nregion = sa-east-1\n")
        environment["AWS_PROFILE"] = "a"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).region == "eu-north-1")
        #expect(try S3Configuration.resolve(S3Settings(profile: "b"), environment: environment).region == "sa-east-1")
    }

    @Test func noCredentialsNamesEverySourceTried() async throws {
        let environment = try files(credentials: "", config: "")
        do {
            _ = try await CredentialChain.standard(environment: environment, profile: "missing").resolve()
            Issue.record("expected no credentials")
        } catch {
            #expect(error.description.contains("AWS_ACCESS_KEY_ID"))
            #expect(error.description.contains("profile missing"))
        }
    }

    @Test func halfAKeyPairIsAnError() async throws {
        var environment = try files(credentials: "", config: "")
        environment["AWS_ACCESS_KEY_ID"] = "ONLYKEY"
        await #expect(
            throws: StorageError.incompleteCredentials(
                origin: "environment variables", missing: "AWS_SECRET_ACCESS_KEY")
        ) {
            try await CredentialChain.standard(environment: environment, profile: nil).resolve()
        }
    }

    @Test func regionOrder() throws {
        var environment = try files(credentials: "", config: "[default]\nregion = ca-central-1\n")
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).region == "ca-central-1")
        environment["AWS_DEFAULT_REGION"] = "eu-west-2"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).region == "eu-west-2")
        environment["AWS_REGION"] = "eu-west-3"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).region == "eu-west-3")
        #expect(
            try S3Configuration.resolve(S3Settings(region: "ap-south-1"), environment: environment).region
                == "ap-south-1")
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: try files(credentials: "", config: "")).region
                == "us-east-1")
    }

    @Test func endpointOrderAndAddressingStyle() throws {
        var environment = try files(credentials: "", config: "")
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).endpoint == nil)
        environment["AWS_ENDPOINT_URL"] = "http://general:1"
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.absoluteString
                == "http://general:1")
        environment["AWS_ENDPOINT_URL_S3"] = "http://s3only:2"
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.absoluteString
                == "http://s3only:2")
        #expect(
            try S3Configuration.resolve(S3Settings(commandLineEndpoint: "http://flag:3"), environment: environment)
                .endpoint?.absoluteString == "http://flag:3")
        // A manifest's endpoint needs the trusted side's leave (EndpointTrustTests); given it, it comes first.
        let manifest = try S3Configuration.resolve(
            S3Settings(endpoint: "http://manifest:4/", commandLineEndpoint: "http://flag:3"),
            environment: environment, trustedHosts: TrustedHosts(environment: [:], flags: ["manifest:4"]))
        #expect(manifest.endpoint?.absoluteString == "http://manifest:4")
        #expect(
            manifest.addressing(bucket: "frames")
                == S3Addressing(origin: "http://manifest:4", host: "manifest:4", pathPrefix: "/frames"))
        #expect(throws: StorageError.self) {
            try S3Configuration.resolve(S3Settings(endpoint: "ftp://x"), environment: environment)
        }
    }

    @Test func awsUsesVirtualHostedStyleExceptForDottedBuckets() throws {
        let environment = try files(credentials: "", config: "")
        let aws = try S3Configuration.resolve(S3Settings(region: "eu-west-1"), environment: environment)
        #expect(
            aws.addressing(bucket: "frames")
                == S3Addressing(
                    origin: "https://frames.s3.eu-west-1.amazonaws.com", host: "frames.s3.eu-west-1.amazonaws.com",
                    pathPrefix: ""))
        #expect(aws.addressing(bucket: "my.frames").pathPrefix == "/my.frames")
    }

    @Test func secretsAreRedactedInDescriptions() {
        let credentials = AWSCredentials(
            accessKeyID: "AKID", secretAccessKey: Secret("topsecret"), sessionToken: Secret("tok"), origin: "x")
        #expect(!"\(credentials)".contains("topsecret"))
        #expect(!String(reflecting: credentials).contains("topsecret"))
        #expect(!String(reflecting: credentials).contains("tok\""))
    }

    @Test func redactionHidesSignaturesAndAuthorization() throws {
        let url = try #require(
            URL(string: "http://h/b/k?X-Amz-Credential=AKID%2F1&X-Amz-Signature=abc&X-Amz-Security-Token=t&a=1"))
        // The whole query goes: a server or a link may carry a token under any name (`_jwt`, `token`...).
        #expect(Redaction.url(url) == "http://h/b/k")
        #expect(
            Redaction.headers([("Authorization", "AWS4 secret"), ("Range", "bytes=0-1")]).map(\.value) == [
                "<redacted>", "bytes=0-1",
            ])
    }
}
