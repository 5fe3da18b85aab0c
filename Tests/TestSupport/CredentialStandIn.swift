import Foundation

/// The endpoints credentials come from on AWS's machines, played on 127.0.0.1 by a small Python server (real
/// sockets through `PythonServer`, nothing mocked): the container credentials endpoint (an `Authorization` token
/// required), the EC2 instance metadata service (IMDSv2: a `PUT /latest/api/token` first, its token on every read;
/// the first credentials expire after `lifetime` seconds, later ones after an hour) and the SSO portal
/// (`GetRoleCredentials` with the bearer token). Each hands out the key pairs it is given.
public final class CredentialStandIn {
    /// Credentials it hands out, as STS issued them (the tests get them from moto's STS, so S3 accepts them).
    public struct Issued: Sendable {
        public let id: String
        public let secret: String
        public let token: String

        public init(id: String, secret: String, token: String) {
            self.id = id
            self.secret = secret
            self.token = token
        }

        var arguments: [String] { [id, secret, token] }
    }

    /// What it plays.
    public enum Role {
        /// The container endpoint: answers `key` to requests whose `Authorization` is `token`, 401 otherwise.
        case container(token: String, key: Issued)
        /// The instance metadata service: `first` expiring after `lifetime` seconds, then `later`.
        case instanceMetadata(lifetime: Int, first: Issued, later: Issued)
        /// The SSO portal: `key` for requests bearing `token`.
        case ssoPortal(token: String, key: Issued)
    }

    /// One request received.
    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
    }

    private let server: PythonServer

    /// Starts the stand-in.
    public init(_ role: Role) throws {
        let arguments: [String]
        switch role {
        case .container(let token, let key): arguments = ["container", token] + key.arguments
        case .instanceMetadata(let lifetime, let first, let later):
            arguments = ["imds", String(lifetime)] + first.arguments + later.arguments
        case .ssoPortal(let token, let key): arguments = ["sso", token] + key.arguments
        }
        server = try PythonServer(file: Self.script, arguments: arguments, name: "credentials stand-in")
    }

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { server.endpoint }

    /// The requests received so far, in order.
    public func requests() -> [Request] {
        server.log.compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Stops the server.
    public func stop() { server.stop() }

    /// scripts/test-servers/credential_standin.py, found from this file's place in the repository.
    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("scripts/test-servers/credential_standin.py").path
    }
}
