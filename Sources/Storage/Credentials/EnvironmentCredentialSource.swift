import Manifest

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialSource: CredentialSource {
    let environment: [String: String]

    /// Reads from the given variables (the process's, or a test's).
    public init(environment: [String: String]) { self.environment = environment }

    public var name: String { "the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables" }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        let keyID = environment["AWS_ACCESS_KEY_ID", default: ""]
        let secret = environment["AWS_SECRET_ACCESS_KEY", default: ""]
        if keyID.isEmpty && secret.isEmpty { return nil }
        guard !keyID.isEmpty, !secret.isEmpty else {
            throw .incompleteCredentials(
                origin: "environment variables",
                missing: keyID.isEmpty ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : Secret($0) }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: token,
            origin: "environment variables")
    }
}
