import Foundation
import Manifest

/// An access key pair, with a session token when the credentials are temporary.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    /// The access key ID; not a secret (it appears in signatures), so errors may name it.
    public let accessKeyID: String
    public let secretAccessKey: Secret
    public let sessionToken: Secret?
    /// Where they came from, for messages: "environment variables", "profile dev in ~/.aws/credentials".
    public let origin: String
    /// When temporary credentials stop working (STS, a container, the instance metadata service, a process);
    /// nil for long-term keys. `CredentialCache` fetches new ones before then.
    public let expiration: Date?

    /// Credentials from `origin`.
    public init(
        accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil, origin: String,
        expiration: Date? = nil
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.origin = origin
        self.expiration = expiration
    }

    public var description: String { "access key \(accessKeyID) from \(origin)" }

    /// The values a message must never show: the secret key, the session token, and the key ID (scrubbed too,
    /// since a server echoing it next to a token is no business of a log).
    public var secretValues: [Secret] {
        [secretAccessKey, Secret(accessKeyID)] + (sessionToken.map { [$0] } ?? [])
    }
}
