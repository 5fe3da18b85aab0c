import Foundation

/// The AWS CLI's shared files: `~/.aws/credentials` and `~/.aws/config`, or the paths in
/// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`.
public struct AWSSharedFiles: Sendable {
    public let credentialsPath: String
    public let configPath: String
    /// The user's home folder (for `~/.aws/sso/cache`).
    public let home: String

    /// The paths the variables name, else the defaults under `HOME`.
    public init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        self.home = home
        credentialsPath =
            Self.expand(environment["AWS_SHARED_CREDENTIALS_FILE"], home: home) ?? home + "/.aws/credentials"
        configPath = Self.expand(environment["AWS_CONFIG_FILE"], home: home) ?? home + "/.aws/config"
    }

    /// The keys of `profile` in the credentials file (section `[name]`), or nil if the file or section is absent.
    func credentialsSection(_ profile: String) -> [String: String]? {
        read(credentialsPath)?.sections[profile]
    }

    /// The keys of `profile` in the config file (section `[profile name]`, or `[default]`).
    func configSection(_ profile: String) -> [String: String]? {
        let sections = read(configPath)?.sections
        return profile == "default"
            ? sections?["default"] ?? sections?["profile default"]
            : sections?["profile \(profile)"]
    }

    /// The profile as the AWS CLI sees it: its config section with its credentials-file section laid over it
    /// (botocore merges them so); nil when neither file has it.
    func profile(_ name: String) -> [String: String]? {
        let config = configSection(name)
        let credentials = credentialsSection(name)
        if config == nil && credentials == nil { return nil }
        return (config ?? [:]).merging(credentials ?? [:]) { _, fromCredentials in fromCredentials }
    }

    /// A `[sso-session name]` section of the config file.
    func ssoSession(_ name: String) -> [String: String]? {
        read(configPath)?.sections["sso-session \(name)"]
    }

    /// A `[services name]` section of the config file (service-specific endpoints: `s3.endpoint_url`).
    func services(_ name: String) -> [String: String]? {
        read(configPath)?.sections["services \(name)"]
    }

    /// Which file a profile's setting came from, for messages.
    func origin(of key: String, profile: String) -> String {
        credentialsSection(profile)?[key] != nil ? credentialsPath : configPath
    }

    private func read(_ path: String) -> INIFile? {
        // A missing file is normal (the CLI treats it as empty); an unreadable one is treated the same.
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return INIFile(text: String(decoding: data, as: UTF8.self))
    }

    static func expand(_ path: String?, home: String) -> String? {
        guard let path, !path.isEmpty else { return nil }
        return path.hasPrefix("~/") ? home + path.dropFirst() : path
    }
}
