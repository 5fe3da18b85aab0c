import Manifest

/// A profile's `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`, from the
/// credentials file first and the config file second (as the AWS CLI reads them).
public struct SharedFileCredentialSource: CredentialSource {
    /// Which of the two files are read.
    public enum Files: Sendable { case both, credentialsFile, configFile }

    let files: AWSSharedFiles
    let profile: String
    let which: Files

    /// Reads `profile` (default "default") from `files`.
    public init(files: AWSSharedFiles, profile: String?, only which: Files = .both) {
        self.files = files
        self.profile = profile.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        self.which = which
    }

    public var name: String {
        switch which {
        case .both: return "profile \(profile) in \(files.credentialsPath) and \(files.configPath)"
        case .credentialsFile: return "profile \(profile) in \(files.credentialsPath)"
        case .configFile: return "profile \(profile) in \(files.configPath)"
        }
    }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        var candidates: [([String: String]?, String)] = []
        if which != .configFile { candidates.append((files.credentialsSection(profile), files.credentialsPath)) }
        if which != .credentialsFile { candidates.append((files.configSection(profile), files.configPath)) }
        for (section, path) in candidates {
            guard let section else { continue }
            let keyID = section["aws_access_key_id", default: ""]
            let secret = section["aws_secret_access_key", default: ""]
            if keyID.isEmpty && secret.isEmpty { continue }
            let origin = "profile \(profile) in \(path)"
            guard !keyID.isEmpty, !secret.isEmpty else {
                throw .incompleteCredentials(
                    origin: origin,
                    missing: keyID.isEmpty ? "aws_access_key_id" : "aws_secret_access_key")
            }
            let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : Secret($0) }
            return AWSCredentials(
                accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: token, origin: origin)
        }
        return nil
    }
}

/// A profile's `credential_process`, when it has one (from either file, the credentials file's winning).
struct ProfileProcessSource: CredentialSource {
    let files: AWSSharedFiles
    let profile: String
    let secrets: SecretValues

    var name: String { "credential_process of profile \(profile)" }

    func credentials() async throws(StorageError) -> AWSCredentials? {
        guard let command = files.profile(profile)?["credential_process"], !command.isEmpty else { return nil }
        return try await ProcessCredentialSource(
            command: command, profile: profile,
            file: files.origin(of: "credential_process", profile: profile),
            secrets: secrets
        ).credentials()
    }
}
