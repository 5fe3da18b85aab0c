import Foundation
import Manifest

/// Picks the store for a location: the one place that knows which backend serves which kind of
/// location, so a new backend is one new case here.
public enum ObjectStores {
    /// The store holding `location` and the key of `location` within it.
    ///
    /// Local paths are made absolute against `workingDirectory`; the store is rooted at `/`. `trustedHosts` and
    /// `secrets` (default: from `environment`) are the trusted side's, as `S3Configuration.resolve` takes them.
    public static func open(
        _ location: Location, settings: S3Settings = S3Settings(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        trustedHosts: TrustedHosts? = nil, secrets: SecretValues? = nil,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        log: (@Sendable (String) -> Void)? = nil
    ) async throws(StorageError) -> (store: any ObjectStore, key: String) {
        switch location.resolved(against: workingDirectory) {
        case .s3(let bucket, let key):
            let configuration = try S3Configuration.resolve(
                settings, environment: environment, trustedHosts: trustedHosts,
                secrets: secrets)
            return (try await S3Store.make(bucket: bucket, configuration: configuration, log: log), key)
        case .local(let path):
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
            let key =
                String(standardized.drop { $0 == "/" })
                + (path.hasSuffix("/") && !standardized.hasSuffix("/") ? "/" : "")
            return (LocalStore(root: "/"), key)
        }
    }
}
