import Foundation

/// Small objects held in memory: checkpoint records and locks. Each write is atomic (one PUT on S3,
/// a temporary file renamed or linked into place locally), so a reader sees the old bytes or the new, never half.
/// These defaults go through a temporary file and the store's file transfers; `LocalStore` reads and
/// writes its files directly (records are read by the thousand on a rerun).
extension ObjectStore {
    public func read(_ key: String) async throws(StorageError) -> Data {
        let file = URL(fileURLWithPath: LocalFiles.temporaryFile("read"))
        defer { unlink(file.path) }
        try await get(key, to: file)
        return try LocalFiles.contents(of: file.path)
    }

    public func write(_ key: String, data: Data, contentType: String?) async throws(StorageError) {
        let file = try LocalFiles.temporaryFile(holding: data)
        defer { unlink(file.path) }
        try await put(key, from: file, contentType: contentType)
    }

    public func create(_ key: String, data: Data, contentType: String?) async throws(StorageError) -> CreateResult {
        let file = try LocalFiles.temporaryFile(holding: data)
        defer { unlink(file.path) }
        return try await create(key, from: file, contentType: contentType)
    }

    /// Writes JSON at `key`, replacing what is there.
    public func write(_ key: String, json: Data) async throws(StorageError) {
        try await write(key, data: json, contentType: "application/json")
    }

    /// Writes JSON at `key` only if nothing is there.
    public func create(_ key: String, json: Data) async throws(StorageError) -> CreateResult {
        try await create(key, data: json, contentType: "application/json")
    }

    /// Reads a whole (small) object, or nil when there is none.
    public func readIfPresent(_ key: String) async throws(StorageError) -> Data? {
        do {
            return try await read(key)
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }
}

extension LocalStore {
    public func read(_ key: String) async throws(StorageError) -> Data {
        try LocalFiles.contents(of: path(key))
    }

    public func write(_ key: String, data: Data, contentType: String?) async throws(StorageError) {
        _ = try writeDirectly(key, data: data, exclusive: false)
    }

    public func create(_ key: String, data: Data, contentType: String?) async throws(StorageError) -> CreateResult {
        try writeDirectly(key, data: data, exclusive: true)
    }

    func writeDirectly(_ key: String, data: Data, exclusive: Bool) throws(StorageError) -> CreateResult {
        try Self.writeAtomically(to: path(key), exclusive: exclusive) { (temporary: String) throws(StorageError) in
            do {
                try data.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw .local(path: temporary, reason: error.localizedDescription)
            }
        }
    }
}

extension LocalFiles {
    /// A file's bytes.
    static func contents(of path: String) throws(StorageError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) != 0 { throw .notFound(location: path) }
            throw .local(path: path, reason: "cannot read the file")
        }
        return data
    }

    /// A new temporary file holding `data`.
    static func temporaryFile(holding data: Data) throws(StorageError) -> URL {
        let url = URL(fileURLWithPath: temporaryFile("write"))
        do {
            try data.write(to: url)
        } catch {
            throw .local(path: url.path, reason: error.localizedDescription)
        }
        return url
    }
}
