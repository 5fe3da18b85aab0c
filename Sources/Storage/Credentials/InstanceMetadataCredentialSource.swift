import Foundation
import Manifest

/// An EC2 instance's role, from the instance metadata service with IMDSv2's handshake: a `PUT /latest/api/token`
/// gives a session token that every read carries (`X-aws-ec2-metadata-token`). Then the role's name from
/// `/latest/meta-data/iam/security-credentials/` and its credentials from the name's document.
///
/// Settings as the AWS CLI reads them: `AWS_EC2_METADATA_DISABLED=true` turns it off;
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's `ec2_metadata_service_endpoint`) moves it,
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` picks `http://[fd00:ec2::254]`; `AWS_METADATA_SERVICE_TIMEOUT`
/// (seconds, default 1) and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 1) bound the wait off EC2;
/// `AWS_EC2_METADATA_V1_DISABLED=true` refuses the fallback to tokenless reads when the token request is refused.
public struct InstanceMetadataCredentialSource: CredentialSource {
    let environment: [String: String]
    let profileSettings: [String: String]
    let secrets: SecretValues

    /// Reads the variables of `environment` and the profile's `ec2_metadata_*` settings.
    public init(environment: [String: String], profileSettings: [String: String] = [:], secrets: SecretValues? = nil) {
        self.environment = environment
        self.profileSettings = profileSettings
        self.secrets = secrets ?? SecretValues(environment: environment)
    }

    public var name: String { "the EC2 instance metadata service (\(endpointText))" }

    var endpointText: String {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        if let set = nonEmpty(environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"])
            ?? nonEmpty(profileSettings["ec2_metadata_service_endpoint"])
        {
            return set.hasSuffix("/") ? String(set.dropLast()) : set
        }
        let mode =
            nonEmpty(environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"])
            ?? profileSettings["ec2_metadata_service_endpoint_mode"]
        return mode?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
    }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        if ConfiguredEndpoint.isTrue(environment["AWS_EC2_METADATA_DISABLED"]) { return nil }
        let origin = "the EC2 instance metadata service"
        let base = endpointText
        guard URL(string: base + "/latest/api/token") != nil else {
            throw .credentialSource(
                origin: origin,
                reason: "AWS_EC2_METADATA_SERVICE_ENDPOINT \(Redaction.text(base, secrets: secrets)) is not a URL")
        }
        let timeout = environment["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(Double.init) ?? 1
        let attempts = max(1, environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"].flatMap(Int.init) ?? 1)
        var secrets = self.secrets
        func get(_ method: String, _ path: String, _ headers: [(name: String, value: String)]) async -> HTTPResponse? {
            guard let url = URL(string: base + path) else { return nil }
            let client = HTTPClient(
                retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(100)), secrets: secrets)
            // Off EC2 nothing answers: that is "no credentials here", not an error, as for the AWS CLI.
            return try? await client.send(HTTPRequest(method: method, url: url, headers: headers, timeout: timeout))
        }
        guard
            let tokenAnswer = await get("PUT", "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        else {
            return nil
        }
        var headers: [(name: String, value: String)] = []
        if tokenAnswer.isSuccess {
            let token = String(decoding: tokenAnswer.body, as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            secrets = secrets.adding([Secret(token)])
            headers.append(("X-aws-ec2-metadata-token", token))
        } else if [403, 404, 405].contains(tokenAnswer.status),
            !ConfiguredEndpoint.isTrue(environment["AWS_EC2_METADATA_V1_DISABLED"])
        {
            // An IMDSv1-only service (or a hop limit the token answer cannot cross): reads without a token.
        } else {
            throw .credentialSource(
                origin: origin,
                reason: "the token request (PUT /latest/api/token) was answered HTTP \(tokenAnswer.status)"
                    + "; check the instance's metadata options (http-tokens, http-put-response-hop-limit: 2 inside containers)"
            )
        }
        let listPath = "/latest/meta-data/iam/security-credentials/"
        // As for the AWS CLI, a service that gives no role is "no credentials here" (an instance without a role,
        // or something else at the address): the chain's message names this source among those tried.
        guard let roles = await get("GET", listPath, headers), roles.isSuccess else { return nil }
        guard
            let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(
                String.init),
            !role.isEmpty, !role.contains("/"), role.allSatisfy({ !$0.isWhitespace })
        else {
            throw .credentialSource(
                origin: origin,
                reason: "\(listPath) answered HTTP \(roles.status) without a role name; "
                    + "check the instance profile attached to the instance")
        }
        let encodedRole = role.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? role
        guard let document = await get("GET", listPath + encodedRole, headers), document.isSuccess else {
            throw .credentialSource(
                origin: origin, reason: "the credentials of role \(InertText.escaped(role)) could not be read")
        }
        switch CredentialDocument.credentials(in: document.body, origin: "\(origin) (role \(InertText.escaped(role)))")
        {
        case .success(let credentials): return credentials
        case .failure(let problem): throw .credentialSource(origin: origin, reason: problem.reason)
        }
    }
}
