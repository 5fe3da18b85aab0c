import Foundation
import Manifest

/// ECS, Fargate, EKS Pod Identity and CodeBuild: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (under
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read at each fetch: it is rotated) or `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
///
/// As in the AWS SDKs, a full URI over plain http must name a loopback address or the container hosts'
/// link-local ones: the token and the credentials never cross a network in clear text.
public struct ContainerCredentialSource: CredentialSource {
    let environment: [String: String]
    let secrets: SecretValues

    /// Reads the variables of `environment`.
    public init(environment: [String: String], secrets: SecretValues? = nil) {
        self.environment = environment
        self.secrets = secrets ?? SecretValues(environment: environment)
    }

    public var name: String {
        "the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)"
    }

    static let allowedPlainHosts: Set<String> = [
        "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "localhost",
    ]

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let origin: String
        let text: String
        if let relative = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
            origin = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
            text = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
            origin = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
            text = full
        } else {
            return nil
        }
        let shown = Redaction.text(text, secrets: secrets)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(),
            scheme == "https" || scheme == "http"
        else { throw .credentialSource(origin: origin, reason: "\(shown) is not an http(s) URL") }
        if scheme == "http", !(Self.allowedPlainHosts.contains(host) || Self.isLoopback(host)) {
            throw .credentialSource(
                origin: origin,
                reason: "\(shown) is plain http to \(InertText.escaped(host)), which is neither "
                    + "loopback nor a container host address (169.254.170.2, 169.254.170.23, fd00:ec2::23); use https")
        }
        var headers: [(name: String, value: String)] = []
        var tokenSecrets: [Secret] = []
        if let file = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .credentialSource(
                    origin: origin,
                    reason: "the token file \(InertText.escaped(file)) "
                        + "(AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) cannot be read")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append(("Authorization", token))
            tokenSecrets.append(Secret(token))
        } else if let token = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) {
            headers.append(("Authorization", token))
            tokenSecrets.append(Secret(token))
        }
        let secrets = self.secrets.adding(tokenSecrets)
        let client = HTTPClient(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100)), secrets: secrets)
        let response: HTTPResponse
        do throws(HTTPError) {
            response = try await client.send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: 5))
        } catch {
            throw .credentialSource(origin: origin, reason: "\(shown) could not be reached: \(error.description)")
        }
        guard response.isSuccess else {
            let text = ServerText.inert(String(decoding: response.body.prefix(300), as: UTF8.self), secrets: secrets)
            throw .credentialSource(
                origin: origin,
                reason: "\(shown) answered HTTP \(response.status)"
                    + (text.isEmpty ? "" : " (\(text))")
                    + (response.status == 401 || response.status == 403
                        ? "; check AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN" : ""))
        }
        switch CredentialDocument.credentials(
            in: response.body, origin: "the container credentials endpoint (\(origin))")
        {
        case .success(let credentials): return credentials
        case .failure(let problem): throw .credentialSource(origin: origin, reason: "\(shown): \(problem.reason)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
