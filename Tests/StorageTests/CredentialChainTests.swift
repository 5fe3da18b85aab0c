import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// The moto server of scripts/test-servers/moto.sh that checks signatures for S3, IAM and STS: an IAM user with two
/// keys and a role. A listing there succeeds only when signed with credentials moto issued, so each test below
/// proves a credential source by listing a bucket with nothing else to sign with.
struct ChainServer {
    let endpoint: URL
    let key: (id: String, secret: String)
    let role: String

    static func load() throws -> ChainServer {
        ChainServer(
            endpoint: try Moto.url(named: "RUNNER_TEST_STS_ENDPOINT"),
            key: (try Moto.variable("RUNNER_TEST_STS_KEY_ID"), try Moto.variable("RUNNER_TEST_STS_SECRET")),
            role: try Moto.variable("RUNNER_TEST_STS_ROLE_ARN"))
    }

    /// Temporary credentials from moto's STS (AssumeRole of the test role, signed with the user's key): what the
    /// container endpoint, the instance metadata service and the SSO portal hand out on AWS.
    func issued(_ session: String) async throws -> CredentialStandIn.Issued {
        let sts = STSClient(endpoint: endpoint, region: "us-east-1", secrets: .none)
        let user = AWSCredentials(accessKeyID: key.id, secretAccessKey: Secret(key.secret), origin: "the test")
        let found = try await sts.assumeRole(role, sessionName: session, source: user, origin: "the test")
        return CredentialStandIn.Issued(
            id: found.accessKeyID, secret: found.secretAccessKey.revealed(),
            token: found.sessionToken?.revealed() ?? "")
    }

    /// A new bucket holding `proof.txt`, made with the user's own key.
    func bucket(_ hint: String) async throws -> String {
        let name = Moto.bucketName(hint)
        let configuration = S3Configuration(
            region: "us-east-1", endpoint: endpoint, credentials: CredentialChain([]), secrets: .none)
        let store = S3Store(
            bucket: name, configuration: configuration,
            credentials: AWSCredentials(accessKeyID: key.id, secretAccessKey: Secret(key.secret), origin: "the test"))
        try await store.createBucket()
        try await store.write("proof.txt", data: Data("only signed requests read this".utf8), contentType: nil)
        return name
    }

    /// A HOME with `~/.aws/config` and `~/.aws/credentials`, and an environment that reads them and nothing else:
    /// no keys, no instance metadata (unless a test sets its endpoint), S3 and STS at this server.
    func home(config: String = "", credentials: String = "", endpoints: Bool = true) throws -> [String: String] {
        let folder = try Scratch.folder()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try config.write(to: folder.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        try credentials.write(to: folder.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        var environment = ["HOME": folder.path, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1"]
        if endpoints {
            environment["AWS_ENDPOINT_URL_S3"] = endpoint.absoluteString
            environment["AWS_ENDPOINT_URL_STS"] = endpoint.absoluteString
        }
        return environment
    }

    /// The keys of `bucket` as listed with the credentials `environment` and `settings` resolve to, and where
    /// those came from.
    func listing(_ bucket: String, environment: [String: String], settings: S3Settings = S3Settings()) async throws
        -> (keys: [String], origin: String, credentials: AWSCredentials)
    {
        let configuration = try S3Configuration.resolve(settings, environment: environment, trustedHosts: .none)
        let store = try await S3Store.make(bucket: bucket, configuration: configuration)
        let keys = try await store.list(prefix: "").collect().map(\.key)
        let credentials = try await configuration.credentialCache.credentials()
        return (keys, credentials.origin, credentials)
    }
}

@Suite(.serialized) struct CredentialChainTests {
    /// Reproduction 1: `s3.profile: media` with valid keys under [media], another account's keys in the environment.
    @Test func aProfileNamedInTheManifestBeatsEnvironmentKeys() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("profile")
        var environment = try server.home(
            credentials: "[media]\naws_access_key_id = \(server.key.id)\naws_secret_access_key = \(server.key.secret)\n"
        )
        environment["AWS_ACCESS_KEY_ID"] = "AKIAOTHERACCOUNT0000"
        environment["AWS_SECRET_ACCESS_KEY"] = "CANARY-other-account-secret-7f3c9e"
        let listed = try await server.listing(bucket, environment: environment, settings: S3Settings(profile: "media"))
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("profile media"), "\(listed.origin)")
    }

    /// As in the AWS CLI, keys in the environment beat `AWS_PROFILE` (only a profile named explicitly beats them).
    @Test func environmentKeysBeatAWSProfile() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("envfirst")
        var environment = try server.home(
            credentials: "[media]\naws_access_key_id = AKIANOTVALID00000000\naws_secret_access_key = nope\n")
        environment["AWS_PROFILE"] = "media"
        environment["AWS_ACCESS_KEY_ID"] = server.key.id
        environment["AWS_SECRET_ACCESS_KEY"] = server.key.secret
        let listed = try await server.listing(bucket, environment: environment)
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin == "environment variables")
    }

    /// Reproduction 2: a profile with only `credential_process`, chosen by `AWS_PROFILE`.
    @Test func credentialProcessOfTheProfileInAWSProfile() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("process")
        let folder = try Scratch.folder()
        let script = folder.appendingPathComponent("issue-credentials.sh")
        try """
        #!/bin/sh
        printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' '\(server.key.id)' '\(server.key.secret)'
        """.write(to: script, atomically: true, encoding: .utf8)
        var environment = try server.home(
            config: "[profile tools]\nregion = us-east-1\ncredential_process = /bin/sh \(script.path)\n")
        environment["AWS_PROFILE"] = "tools"
        let listed = try await server.listing(bucket, environment: environment)
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("credential_process of profile tools"), "\(listed.origin)")
    }

    @Test func aFailingCredentialProcessSaysSoWithoutItsOutput() async throws {
        let server = try ChainServer.load()
        var environment = try server.home(
            config: "[profile tools]\ncredential_process = /bin/sh -c 'echo CANARY-process-output-51ab; exit 3'\n")
        environment["AWS_PROFILE"] = "tools"
        do {
            _ = try await CredentialChain.standard(environment: environment, profile: nil).resolve()
            Issue.record("a failing credential_process gave credentials")
        } catch {
            #expect(error.description.contains("exited with status 3"), "\(error.description)")
            #expect(!error.description.contains("CANARY-process-output-51ab"))
        }
    }

    /// EKS's and GitHub's OIDC: `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`, through STS AssumeRoleWithWebIdentity.
    @Test func webIdentityThroughAssumeRoleWithWebIdentity() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("oidc")
        let token = try Scratch.folder().appendingPathComponent("token")
        try "CANARY-oidc-token-2c81".write(to: token, atomically: true, encoding: .utf8)
        var environment = try server.home()
        environment["AWS_ROLE_ARN"] = server.role
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = token.path
        environment["AWS_ROLE_SESSION_NAME"] = "ci-run"
        let listed = try await server.listing(bucket, environment: environment)
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("web identity"), "\(listed.origin)")
        #expect(listed.credentials.sessionToken != nil && listed.credentials.expiration != nil)
        #expect(listed.credentials.accessKeyID != server.key.id)
    }

    /// `role_arn` with `source_profile` (STS AssumeRole signed with the source's keys), the endpoints taken from the
    /// config file's `services` section as the SDKs read it: no endpoint variable at all.
    @Test func roleArnWithSourceProfileAndEndpointsFromTheConfigFile() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("role")
        let environment = try server.home(
            config: """
                [profile deploy]
                role_arn = \(server.role)
                source_profile = base
                role_session_name = runner-test
                services = local-moto

                [services local-moto]
                s3 =
                  endpoint_url = \(server.endpoint.absoluteString)
                sts =
                  endpoint_url = \(server.endpoint.absoluteString)
                """,
            credentials: "[base]\naws_access_key_id = \(server.key.id)\naws_secret_access_key = \(server.key.secret)\n",
            endpoints: false)
        let listed = try await server.listing(bucket, environment: environment, settings: S3Settings(profile: "deploy"))
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("of profile deploy"), "\(listed.origin)")
        #expect(listed.credentials.accessKeyID.hasPrefix("ASIA"), "\(listed.credentials.accessKeyID)")
    }

    /// The profile's own `endpoint_url` counts too; `AWS_ENDPOINT_URL_S3` beats it.
    @Test func endpointOrderAsTheSDKsReadIt() throws {
        let server = try ChainServer.load()
        var environment = try server.home(
            config:
                "[default]\nendpoint_url = http://profile.example:1\nservices = s\n[services s]\ns3 =\n  endpoint_url = http://services.example:2\n",
            endpoints: false)
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.absoluteString
                == "http://services.example:2")
        environment["AWS_ENDPOINT_URL"] = "http://general.example:3"
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.absoluteString
                == "http://general.example:3")
        environment["AWS_ENDPOINT_URL_S3"] = "http://s3.example:4"
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: environment).endpoint?.absoluteString
                == "http://s3.example:4")
        environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try S3Configuration.resolve(S3Settings(), environment: environment).endpoint == nil)
        let plain = try server.home(config: "[default]\nendpoint_url = http://profile.example:1\n", endpoints: false)
        #expect(
            try S3Configuration.resolve(S3Settings(), environment: plain).endpoint?.absoluteString
                == "http://profile.example:1")
    }

    /// ECS, EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_FULL_URI` with the token read from its file.
    @Test func containerCredentialsWithTheTokenFile() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("container")
        let issued = try await server.issued("container")
        let standIn = try CredentialStandIn(.container(token: "CANARY-container-token-88d0", key: issued))
        defer { standIn.stop() }
        let tokenFile = try Scratch.folder().appendingPathComponent("token")
        try "CANARY-container-token-88d0\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        var environment = try server.home()
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = standIn.endpoint.absoluteString + "/v2/credentials/pod"
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile.path
        let listed = try await server.listing(bucket, environment: environment)
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("container credentials endpoint"), "\(listed.origin)")
        #expect(standIn.requests().first?.headers["Authorization"] == "CANARY-container-token-88d0")

        // A wrong token: refused, and the message says which variables carry it, never the token.
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = nil
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "CANARY-wrong-token-1f0e"
        do {
            _ = try await CredentialChain.standard(environment: environment, profile: nil).resolve()
            Issue.record("a refused token gave credentials")
        } catch {
            #expect(
                error.description.contains("HTTP 401")
                    && error.description.contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"), "\(error.description)")
            #expect(!error.description.contains("CANARY-wrong-token-1f0e"))
        }
    }

    /// A full URI over plain http to anything but loopback or the container hosts is refused before any request.
    @Test func aContainerURIOverPlainHTTPElsewhereIsRefused() async throws {
        var environment = try ChainServer.load().home()
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://credentials.example.com/creds"
        await #expect(throws: StorageError.self) {
            try await CredentialChain.standard(environment: environment, profile: nil).resolve()
        }
    }

    /// EC2: IMDSv2's token handshake, at `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
    @Test func instanceMetadataWithTheTokenHandshake() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("imds")
        let standIn = try CredentialStandIn(
            .instanceMetadata(
                lifetime: 3600, first: try await server.issued("imds"),
                later: try await server.issued("imds-later")))
        defer { standIn.stop() }
        var environment = try server.home()
        environment["AWS_EC2_METADATA_DISABLED"] = nil
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = standIn.endpoint.absoluteString
        let listed = try await server.listing(bucket, environment: environment)
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("instance metadata service (role runner-role)"), "\(listed.origin)")
        let requests = standIn.requests()
        #expect(requests.first?.method == "PUT" && requests.first?.path == "/latest/api/token")
        #expect(
            requests.dropFirst().allSatisfy {
                $0.headers["X-aws-ec2-metadata-token"]?.hasPrefix("CANARY-imds-token-") == true
            },
            "\(requests.map(\.headers))")
    }

    @Test func instanceMetadataCanBeTurnedOff() async throws {
        let server = try ChainServer.load()
        let standIn = try CredentialStandIn(
            .instanceMetadata(
                lifetime: 3600, first: try await server.issued("off"),
                later: try await server.issued("off-later")))
        defer { standIn.stop() }
        var environment = try server.home()
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = standIn.endpoint.absoluteString
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        await #expect(throws: StorageError.self) {
            try await CredentialChain.standard(environment: environment, profile: nil).resolve()
        }
        #expect(standIn.requests().isEmpty)
    }

    /// Temporary credentials are fetched again before they expire: a run longer than their lifetime keeps working.
    @Test func expiringCredentialsAreRefreshedBeforeTheyExpire() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("refresh")
        let first = try await server.issued("refresh-1")
        let later = try await server.issued("refresh-2")
        let standIn = try CredentialStandIn(.instanceMetadata(lifetime: 3, first: first, later: later))
        defer { standIn.stop() }
        var environment = try server.home()
        environment["AWS_EC2_METADATA_DISABLED"] = nil
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = standIn.endpoint.absoluteString
        let configuration = try S3Configuration.resolve(S3Settings(), environment: environment, trustedHosts: .none)
        let store = try await S3Store.make(bucket: bucket, configuration: configuration)
        #expect(try await store.list(prefix: "").collect().map(\.key) == ["proof.txt"])
        #expect(try await configuration.credentialCache.credentials().accessKeyID == first.id)
        try await Task.sleep(for: .seconds(3))
        // The first credentials have expired: the same store signs with the ones fetched in their place.
        #expect(try await store.list(prefix: "").collect().map(\.key) == ["proof.txt"])
        #expect(try await configuration.credentialCache.credentials().accessKeyID == later.id)
        let fetched = standIn.requests().filter { $0.path.hasSuffix("/runner-role") }
        #expect(fetched.count == 2, "\(standIn.requests().map(\.path))")
    }

    /// Concurrent requests share one fetch.
    @Test func concurrentRequestsShareOneFetch() async throws {
        let server = try ChainServer.load()
        let first = try await server.issued("shared")
        let standIn = try CredentialStandIn(
            .instanceMetadata(lifetime: 3600, first: first, later: try await server.issued("shared-2")))
        defer { standIn.stop() }
        var environment = try server.home()
        environment["AWS_EC2_METADATA_DISABLED"] = nil
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = standIn.endpoint.absoluteString
        let cache = CredentialCache(chain: .standard(environment: environment, profile: nil))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == [first.id])
        #expect(standIn.requests().filter { $0.path.hasSuffix("/runner-role") }.count == 1)
    }

    /// A profile that signs in through IAM Identity Center (an `sso-session`), as `aws configure sso` writes it.
    static let ssoProfile = """
        [profile sso-dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = Deploy
        [sso-session corp]
        sso_region = eu-west-1
        sso_start_url = https://corp.awsapps.com/start
        """

    /// An SSO profile without a login in the cache: refused with what to run.
    @Test func anSSOProfileWithoutALoginSaysToRunSSOLogin() async throws {
        let environment = try ChainServer.load().home(
            config: Self.ssoProfile)
        do {
            _ = try await CredentialChain.standard(environment: environment, profile: "sso-dev").resolve()
            Issue.record("an SSO profile without a login gave credentials")
        } catch {
            #expect(error.description.contains("aws sso login --profile sso-dev"), "\(error.description)")
            #expect(
                error.description.contains("aws configure export-credentials --profile sso-dev"), "\(error.description)"
            )
        }
    }

    /// An SSO login in the AWS CLI's cache is used: the role's credentials come from the portal (`AWS_ENDPOINT_URL_SSO`).
    @Test func anSSOLoginInTheCacheIsUsed() async throws {
        let server = try ChainServer.load()
        let bucket = try await server.bucket("sso")
        let portal = try CredentialStandIn(
            .ssoPortal(token: "CANARY-sso-access-token-6d3f", key: try await server.issued("sso")))
        defer { portal.stop() }
        var environment = try server.home(
            config: Self.ssoProfile)
        environment["AWS_ENDPOINT_URL_SSO"] = portal.endpoint.absoluteString
        let cache = URL(fileURLWithPath: environment["HOME"] ?? "").appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let expires = Date().addingTimeInterval(3600).formatted(.iso8601)
        try #"{"accessToken": "CANARY-sso-access-token-6d3f", "expiresAt": "\#(expires)", "region": "eu-west-1"}"#
            .write(
                to: cache.appendingPathComponent(SSOCredentialSource.sha1Hex("corp") + ".json"), atomically: true,
                encoding: .utf8)
        let listed = try await server.listing(
            bucket, environment: environment, settings: S3Settings(profile: "sso-dev"))
        #expect(listed.keys == ["proof.txt"])
        #expect(listed.origin.contains("SSO role Deploy"), "\(listed.origin)")
        #expect(portal.requests().first?.path.contains("role_name=Deploy&account_id=123456789012") == true)
    }

    /// The AWS CLI's cache file name: SHA-1 of the session name (checked against Python's hashlib).
    @Test func ssoCacheFileNameIsTheCLIs() throws {
        let result = try Scratch.run(
            try Scratch.which("python3"), ["-c", "import hashlib; print(hashlib.sha1(b'corp').hexdigest())"])
        #expect(SSOCredentialSource.sha1Hex("corp") == result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
