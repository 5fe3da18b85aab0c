import Manifest

/// A profile's `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`, from the
/// credentials file first and the config file second (as the AWS CLI reads them).
public struct SharedFileCredentialSource: CredentialSource {
    let files: AWSSharedFiles
    let profile: String

    /// Reads `profile` (default "default") from `files`.
    public init(files: AWSSharedFiles, profile: String?) {
        self.files = files
        self.profile = profile.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    public var name: String { "profile \(profile) in \(files.credentialsPath) and \(files.configPath)" }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        for (section, path) in [(files.credentialsSection(profile), files.credentialsPath),
                                (files.configSection(profile), files.configPath)] {
            guard let section else { continue }
            let keyID = section["aws_access_key_id", default: ""]
            let secret = section["aws_secret_access_key", default: ""]
            if keyID.isEmpty && secret.isEmpty { continue }
            let origin = "profile \(profile) in \(path)"
            guard !keyID.isEmpty, !secret.isEmpty else {
                throw .incompleteCredentials(origin: origin,
                                             missing: keyID.isEmpty ? "aws_access_key_id" : "aws_secret_access_key")
            }
            let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : Secret($0) }
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: token, origin: origin)
        }
        return nil
    }
}
