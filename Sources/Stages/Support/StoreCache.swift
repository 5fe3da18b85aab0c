import Foundation
import Manifest
import Storage

/// Opens the store behind each location once per run: an S3 store holds a connection pool and
/// resolved credentials, so every location in one bucket shares it.
public actor StoreCache {
    private let settings: S3Settings
    private let environment: [String: String]
    private var buckets: [String: any ObjectStore] = [:]

    /// A cache for a pipeline's S3 settings and this process's environment.
    public init(settings: S3Settings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.settings = settings
        self.environment = environment
    }

    /// The store holding `location` (already absolute) and its key there.
    public func open(_ location: Location) async throws(StorageError) -> (store: any ObjectStore, key: String) {
        if case let .s3(bucket, key) = location, let store = buckets[bucket] { return (store, key) }
        let opened = try await ObjectStores.open(location, settings: settings, environment: environment)
        if case let .s3(bucket, _) = location { buckets[bucket] = opened.store }
        return opened
    }

    /// The store and key of an artifact's location text.
    public func open(text: String) async throws(StorageError) -> (store: any ObjectStore, key: String) {
        let location: Location
        do {
            location = try Location(parsing: text)
        } catch {
            throw .invalidResponse(location: text, reason: error.description)
        }
        return try await open(location)
    }
}
