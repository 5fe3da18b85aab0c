import Manifest
import Testing

/// Issue #12: an endpoint written in a manifest receives credentials only on a host the trusted side allows, and a
/// webhook may not target a link-local or metadata address.
@Suite struct EndpointTrustTests {
    static func s3(_ endpoint: String) -> String { untrustedManifest(top: "s3: { endpoint: \"\(endpoint)\" }") }

    static func runway(_ baseURL: String) -> String {
        runwayPipeline.replacingOccurrences(
            of: "    concurrency: 5", with: "    concurrency: 5\n    baseURL: \"\(baseURL)\"")
    }

    @Test func aManifestS3EndpointIsRefusedUntilItsHostIsTrusted() {
        let yaml = Self.s3("http://127.0.0.1:9000/${env:AWS_SECRET_ACCESS_KEY}")
        let refused = loadUntrusted(yaml)
        expectError(
            refused,
            "`s3.endpoint` points at `127.0.0.1:9000`, which the manifest chose and nobody trusted, so the runner "
                + "will not send AWS credentials there; to send credentials there, set RUNNER_TRUSTED_HOSTS=127.0.0.1:9000 "
                + "in the environment or pass --trust-host 127.0.0.1:9000", at: 3, 17)
        expectError(
            refused, "`${env:AWS_SECRET_ACCESS_KEY}` holds a secret and cannot be used in `s3.endpoint`", at: 3, 40)
        expectNoCanary(refused)

        let plain = Self.s3("http://127.0.0.1:9000")
        for trusted in [["127.0.0.1:9000"], ["127.0.0.1"], ["other.example, 127.0.0.1:9000"]] {
            let result = loadUntrusted(plain, trusted: trusted)
            #expect(result.pipeline?.s3.endpoint == "http://127.0.0.1:9000", "\(trusted): \(result.diagnostics)")
        }
        #expect(loadUntrusted(plain, trusted: ["127.0.0.1:9001"]).hasErrors, "another port of the host is not trusted")
        #expect(loadUntrusted(plain, environment: ["RUNNER_TRUSTED_HOSTS": "127.0.0.1:9000"]).pipeline != nil)
    }

    @Test func publicServiceEndpointsNeedNoTrust() {
        for endpoint in [
            "https://s3.eu-west-1.amazonaws.com", "https://s3.amazonaws.com/", "https://S3.US-EAST-2.AMAZONAWS.COM.",
        ] {
            let result = loadUntrusted(Self.s3(endpoint))
            #expect(!result.hasErrors, "\(endpoint): \(result.diagnostics)")
        }
        #expect(!loadUntrusted(Self.runway("https://api.dev.runwayml.com")).hasErrors)
        for endpoint in ["https://evil.execute-api.us-east-1.amazonaws.com", "https://s3.amazonaws.com.evil.example"] {
            #expect(loadUntrusted(Self.s3(endpoint)).hasErrors, "\(endpoint)")
        }
    }

    @Test func aManifestRunwayBaseURLIsRefusedUntilTrusted() {
        let refused = loadUntrusted(Self.runway("http://127.0.0.1:8080/v1"))
        expectError(
            refused,
            "`providers.runway.baseURL` points at `127.0.0.1:8080`, which the manifest chose and nobody "
                + "trusted, so the runner will not send the Runway API key there; to send credentials there, set "
                + "RUNNER_TRUSTED_HOSTS=127.0.0.1:8080", at: 10, 14)
        let trusted = loadUntrusted(Self.runway("http://127.0.0.1:8080/v1"), trusted: ["127.0.0.1:8080"])
        #expect(!trusted.hasErrors, "\(trusted.diagnostics)")
    }

    @Test func userInformationIsRefusedEvenOnATrustedHost() {
        for yaml in [Self.s3("http://user:pass@127.0.0.1:9000"), Self.runway("https://key@api.dev.runwayml.com")] {
            let result = loadUntrusted(yaml, trusted: ["127.0.0.1"])
            #expect(
                result.diagnostics.contains { $0.message.contains("carries user information") }, "\(result.diagnostics)"
            )
            #expect(result.pipeline == nil)
        }
    }

    /// Texts that URL parsers read differently: none may pass the check with one host and reach another.
    @Test(arguments: [
        "http://127.0.0.1:9000\\@s3.amazonaws.com/", "http://s3.amazonaws.com\t.evil.example/",
        "http://s3.amazonaws.com%2eevil.example/", "http://[::1/", "http://s3.amazonaws.com:99999/",
        "http://s3.amazonaws.com:/", "http:/s3.amazonaws.com", "http://s3.amazonaws.com @evil/",
        "http://evil.example#@s3.amazonaws.com/",
    ])
    func ambiguousURLsAreRefused(endpoint: String) {
        let result = loadUntrusted(
            untrustedManifest(
                top:
                    "s3: { endpoint: \"\(endpoint.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t"))\" }"
            ))
        #expect(result.pipeline == nil, "\(endpoint) was accepted")
        #expect(result.diagnostics.contains { $0.message.contains("`s3.endpoint`") }, "\(result.diagnostics)")
    }

    @Test func anEndpointFromTheEnvironmentIsCheckedWithoutPrintingItsHost() throws {
        let result = loadUntrusted(
            Self.s3("${env:MY_ENDPOINT}"), environment: ["MY_ENDPOINT": "http://hidden-host.internal:9000"])
        let error = try #require(diagnostic(result, containing: "nobody trusted"))
        #expect(error.message.contains("a host from \"${env:MY_ENDPOINT}\""))
        #expect(error.message.contains("RUNNER_TRUSTED_HOSTS=HOST[:PORT]"))
        #expect(!error.message.contains("hidden-host"))
        let trusted = loadUntrusted(
            Self.s3("${env:MY_ENDPOINT}"), environment: ["MY_ENDPOINT": "http://hidden-host.internal:9000"],
            trusted: ["hidden-host.internal"])
        #expect(!trusted.hasErrors, "\(trusted.diagnostics)")
    }

    // MARK: - Webhooks

    static func webhook(_ url: String) -> String { untrustedManifest(publish: "    webhook: \"\(url)\"") }

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data/", "http://169.254.1.2:8080/hook", "http://[fd00:ec2::254]/",
        "http://[fe80::1]/", "http://100.100.100.200/", "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata/", "http://0xa9fea9fe/", "http://2852039166/", "http://0251.0376.0251.0376/",
        "http://169.254.43518/", "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/",
        "http://METADATA.GOOGLE.INTERNAL./",
    ])
    func aWebhookOnAMetadataAddressIsRefusedUnlessTrusted(url: String) throws {
        let result = loadUntrusted(Self.webhook(url))
        let error = try #require(diagnostic(result, containing: "a link-local or cloud metadata address"))
        #expect(error.severity == .error && (error.position.line, error.position.column) == (16, 14))
        #expect(error.message.contains("RUNNER_TRUSTED_HOSTS="))
        let host = try ManifestURL(parsing: url).authority
        let trusted = loadUntrusted(Self.webhook(url), trusted: [host])
        #expect(!trusted.hasErrors, "\(trusted.diagnostics)")
    }

    @Test func anIPv6HostWithAPortIsTrustedInBrackets() {
        let result = loadUntrusted(Self.webhook("http://[fe80::1]:8080/hook"), trusted: ["[fe80::1]:8080"])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let refused = loadUntrusted(Self.webhook("http://[fe80::1]:8080/hook"))
        #expect(
            refused.diagnostics.contains { $0.message.contains("RUNNER_TRUSTED_HOSTS=[fe80::1]:8080") },
            "\(refused.diagnostics)")
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/hook", "https://hooks.example.com/x?token=1", "http://169.253.169.254/",
        "http://[fe00::1]/", "http://100.100.100.201/", "http://metadata.example.com/",
    ])
    func anOrdinaryWebhookIsAccepted(url: String) {
        let result = loadUntrusted(Self.webhook(url))
        #expect(!result.hasErrors, "\(result.diagnostics)")
    }
}

@Suite struct MetadataAddressTests {
    @Test func literalAddressesAreClassified() {
        let forbidden = [
            "169.254.169.254", "169.254.0.1", "169.254.255.255", "[169.254.169.254]", "100.100.100.200",
            "fe80::1", "FE80::1%eth0", "[fe80::1%25eth0]", "febf:ffff::1", "fd00:ec2::254", "[fd00:ec2:0::254]",
            "::ffff:169.254.169.254", "::169.254.169.254", "64:ff9b::169.254.169.254", "64:ff9b::a9fe:a9fe",
            "metadata.google.internal", "metadata.google.internal.", "Metadata", "0xa9.0xfe.0xa9.0xfe",
            "0251.254.169.254", "169.16689662", "2852039166", "0xA9FEA9FE",
        ]
        for host in forbidden { #expect(MetadataAddress.isForbidden(host: host), "\(host)") }
        let allowed = [
            "127.0.0.1", "10.0.0.1", "169.255.0.1", "168.254.169.254", "100.100.100.201", "fec0::1", "fd00:ec2::253",
            "::1", "2001:db8::1", "hooks.example.com", "metadata.google.internal.example.com",
            "169.254.169.254.example.com",
            "256.254.169.254", "0x1a9fea9fe", "", "::ffff:127.0.0.1", "1.2.3.4.5", "fe80:::1",
        ]
        for host in allowed { #expect(!MetadataAddress.isForbidden(host: host), "\(host)") }
    }

    @Test func bytesAreReadAsInetAtonReadsThem() {
        #expect(MetadataAddress.ipv4Bytes("169.254.43518") == [169, 254, 169, 254])
        #expect(MetadataAddress.ipv4Bytes("010.0.0.1") == [8, 0, 0, 1])
        #expect(MetadataAddress.ipv4Bytes("1.2.3") == [1, 2, 0, 3])
        #expect(MetadataAddress.ipv4Bytes("1.2.3.256") == nil)
        #expect(MetadataAddress.ipv4Bytes("09.1.1.1") == nil, "9 is not an octal digit")
        #expect(MetadataAddress.ipv6Bytes("::") == [UInt8](repeating: 0, count: 16))
        #expect(MetadataAddress.ipv6Bytes("1::2:3::4") == nil)
        #expect(MetadataAddress.ipv6Bytes("1:2:3:4:5:6:7:8:9") == nil)
    }
}
