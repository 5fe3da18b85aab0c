import Manifest

/// An access key pair, with a session token when the credentials are temporary.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    /// The access key ID; not a secret (it appears in signatures), so errors may name it.
    public let accessKeyID: String
    public let secretAccessKey: Secret
    public let sessionToken: Secret?
    /// Where they came from, for messages: "environment variables", "profile dev in ~/.aws/credentials".
    public let origin: String

    /// Credentials from `origin`.
    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil, origin: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.origin = origin
    }

    public var description: String { "access key \(accessKeyID) from \(origin)" }
}
