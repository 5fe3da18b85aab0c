import Foundation
import Manifest
import Storage

/// Opens the store behind each location once per run: an S3 store holds a connection pool and
/// resolved credentials, so every location in one bucket shares it. Writes to local locations go through
/// `openForWriting`, which holds them to the run's `WriteBoundary`.
public actor StoreCache {
    private let settings: S3Settings
    private let environment: [String: String]
    private var buckets: [String: any ObjectStore] = [:]
    /// The folders a run may write to locally; nil: anywhere (commands given paths on the command line).
    public nonisolated let boundary: WriteBoundary?

    /// A cache for a pipeline's S3 settings and this process's environment; local writes held to `boundary`.
    public init(
        settings: S3Settings, environment: [String: String] = ProcessInfo.processInfo.environment,
        boundary: WriteBoundary? = nil
    ) {
        self.settings = settings
        self.environment = environment
        self.boundary = boundary
    }

    /// The store holding `location` (already absolute) and its key there.
    public func open(_ location: Location) async throws(StorageError) -> (store: any ObjectStore, key: String) {
        if case .s3(let bucket, let key) = location, let store = buckets[bucket] { return (store, key) }
        let opened = try await ObjectStores.open(location, settings: settings, environment: environment)
        if case .s3(let bucket, _) = location { buckets[bucket] = opened.store }
        return opened
    }

    /// The store and key of a location the run is about to write: a local one only inside the boundary.
    public func openForWriting(_ location: Location) async throws -> (store: any ObjectStore, key: String) {
        let opened = try await open(location)
        try checkWrite(opened.store, key: opened.key)
        return opened
    }

    /// Throws `WriteRefusal` when `key` of a local `store` lies outside the boundary.
    public nonisolated func checkWrite(_ store: any ObjectStore, key: String) throws(WriteRefusal) {
        guard let boundary, let path = store.localPath(of: key) else { return }
        try boundary.check(path)
    }

    /// Throws `WriteRefusal` when a local file the run writes directly (scratch, journal) lies outside the boundary.
    public nonisolated func checkWrite(path: String) throws(WriteRefusal) {
        try boundary?.check(path)
    }
}
