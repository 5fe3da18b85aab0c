import Foundation
import Manifest

/// Region, endpoint, addressing style and credential chain, resolved as the AWS CLI resolves them.
public struct S3Configuration: Sendable {
    /// The region signatures are scoped to.
    public let region: String
    /// A custom endpoint (MinIO, R2, moto), or nil for AWS.
    public let endpoint: URL?
    /// The profile whose files are read.
    public let profile: String
    /// Where credentials come from.
    public let credentials: CredentialChain
    /// The chain's credentials, fetched once and refreshed before they expire; shared by every store of the process
    /// that resolves the same way.
    public let credentialCache: CredentialCache
    /// The manifest's `s3.pathStyle`: nil keeps the default (path style for custom endpoints).
    public let pathStyle: Bool?
    /// Secret values (the environment's) kept out of messages; a store adds the credentials it signs with.
    public let secrets: SecretValues

    /// The region, endpoint and credentials for `settings`, falling back on `environment`.
    ///
    /// Region: settings, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, `us-east-1`.
    /// Endpoint: settings (manifest), `--endpoint-url`, then as AWS SDKs read them (`ConfiguredEndpoint`):
    /// `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's `services` section, the profile's `endpoint_url`.
    /// Profile: settings (manifest), `AWS_PROFILE`, `default`; credentials as `CredentialChain.standard`, where a
    /// profile the manifest names beats the environment's keys (as the CLI's `--profile` does).
    ///
    /// The manifest is untrusted (docs/security.md): an endpoint it writes receives the signed requests (and the
    /// session token) only when its host is one of S3's public endpoints or `trustedHosts` (default: from
    /// `RUNNER_TRUSTED_HOSTS` in `environment`) allows it; otherwise this throws `untrustedEndpoint` before any
    /// request. Endpoints from the flag and the environment are the trusted side's own. `secrets` (default: the
    /// environment's) are scrubbed from messages and from what servers answer.
    public static func resolve(
        _ settings: S3Settings, environment: [String: String], trustedHosts: TrustedHosts? = nil,
        secrets: SecretValues? = nil
    ) throws(StorageError) -> S3Configuration {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let trustedHosts = trustedHosts ?? TrustedHosts(environment: environment)
        let secrets = secrets ?? SecretValues(environment: environment)
        let profile = nonEmpty(settings.profile) ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let files = AWSSharedFiles(environment: environment)
        let region =
            nonEmpty(settings.region) ?? nonEmpty(environment["AWS_REGION"])
            ?? nonEmpty(environment["AWS_DEFAULT_REGION"]) ?? nonEmpty(files.configSection(profile)?["region"])
            ?? "us-east-1"
        let configured = ConfiguredEndpoint.find(
            service: "s3", environment: environment, files: files, profile: profile)
        let candidates: [(text: String?, source: String, fromManifest: Bool)] = [
            (settings.endpoint, "the manifest's s3.endpoint", true),
            (settings.commandLineEndpoint, "--endpoint-url", false),
            (configured?.text, configured?.source ?? "", false),
        ]
        var endpoint: URL?
        if let chosen = candidates.first(where: { nonEmpty($0.text) != nil }), let text = chosen.text {
            guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
                let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host
            else { throw .invalidEndpoint(Redaction.text(text, secrets: secrets), source: chosen.source) }
            if chosen.fromManifest {
                try checkTrusted(url, host: host, trustedHosts: trustedHosts)
            }
            endpoint = url
        }
        let explicit = nonEmpty(settings.profile)
        return S3Configuration(
            region: region, endpoint: endpoint, profile: profile,
            credentials: .standard(environment: environment, profile: explicit, secrets: secrets),
            pathStyle: settings.pathStyle, secrets: secrets,
            credentialCache: CredentialCache.shared(environment: environment, profile: explicit, secrets: secrets))
    }

    /// The manifest's endpoint may receive credentials only on a public S3 host or one the trusted side allows;
    /// user information in it is refused outright (it would be sent as a Basic credential nobody asked for).
    private static func checkTrusted(_ url: URL, host: String, trustedHosts: TrustedHosts) throws(StorageError) {
        guard url.user == nil, url.password == nil else {
            throw .endpointWithUserInfo(field: "s3.endpoint")
        }
        if TrustedHosts.isPublicServiceEndpoint(host: host) || trustedHosts.allows(host: host, port: url.port) {
            return
        }
        throw .untrustedEndpoint(field: "s3.endpoint", host: InertText.escaped(host), port: url.port)
    }

    /// A configuration from parts, for tests and embedders.
    public init(
        region: String, endpoint: URL?, profile: String = "default", credentials: CredentialChain,
        pathStyle: Bool? = nil,
        secrets: SecretValues = SecretValues(environment: ProcessInfo.processInfo.environment),
        credentialCache: CredentialCache? = nil
    ) {
        self.credentialCache = credentialCache ?? CredentialCache(chain: credentials)
        self.secrets = secrets
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
        self.credentials = credentials
        self.pathStyle = pathStyle
    }

    /// How requests for `bucket` are addressed: path style for custom endpoints and dotted bucket
    /// names (TLS certificates do not cover them), virtual-hosted style on AWS otherwise.
    /// `pathStyle` (the manifest's) overrides either default.
    public func addressing(bucket: String) -> S3Addressing {
        addressing(bucket: bucket, region: region)
    }

    /// `addressing(bucket:)` for a bucket S3 said is in `region`: on AWS that region's endpoint
    /// (`s3.REGION.amazonaws.com`), at a custom endpoint the same endpoint (only the signature's region changes).
    public func addressing(bucket: String, region: String) -> S3Addressing {
        if let endpoint, pathStyle == false, !bucket.contains(".") {
            // A custom endpoint that serves buckets as subdomains (some R2 and MinIO set-ups).
            let host = "\(bucket).\(Self.hostHeader(of: endpoint))"
            return S3Addressing(
                origin: "\(endpoint.scheme?.lowercased() ?? "https")://\(host)", host: host, pathPrefix: "")
        }
        if let endpoint {
            // An endpoint may carry a path of its own (a proxy mounting S3 under /s3): buckets go below it.
            let base = endpoint.path.trimmingCharacters(in: ["/"])
            return S3Addressing(
                origin: Self.origin(of: endpoint), host: Self.hostHeader(of: endpoint),
                pathPrefix: (base.isEmpty ? "" : "/" + base) + "/" + bucket)
        }
        let regional = region == "us-east-1" ? "s3.amazonaws.com" : "s3.\(region).amazonaws.com"
        if bucket.contains(".") || pathStyle == true {
            return S3Addressing(origin: "https://\(regional)", host: regional, pathPrefix: "/" + bucket)
        }
        return S3Addressing(origin: "https://\(bucket).\(regional)", host: "\(bucket).\(regional)", pathPrefix: "")
    }

    private static func origin(of url: URL) -> String {
        "\(url.scheme?.lowercased() ?? "https")://\(hostHeader(of: url))"
    }

    private static func hostHeader(of url: URL) -> String {
        let host = url.host ?? ""
        return url.port.map { "\(host):\($0)" } ?? host
    }
}

/// Where a bucket's requests go: `origin + pathPrefix + "/" + encodedKey`, with `host` as the Host header.
public struct S3Addressing: Sendable, Equatable {
    /// `scheme://host[:port]`.
    public let origin: String
    /// The Host header (and the signed `host`).
    public let host: String
    /// `/bucket` for path style, empty for virtual-hosted style.
    public let pathPrefix: String
}
