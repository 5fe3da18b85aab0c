import Foundation

/// Small objects held in memory: checkpoint records and locks. Each write is atomic (one PUT on S3,
/// a temporary file renamed or linked into place locally), so a reader sees the old bytes or the new, never half.
extension ObjectStore {
    /// Reads a whole (small) object.
    public func read(_ key: String) async throws(StorageError) -> Data {
        // Local records are read by the thousand on a rerun: no copy through a temporary file.
        if let local = self as? LocalStore { return try LocalFiles.contents(of: local.path(key)) }
        let file = URL(fileURLWithPath: LocalFiles.temporaryFile("read"))
        defer { unlink(file.path) }
        try await get(key, to: file)
        return try LocalFiles.contents(of: file.path)
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

    /// Writes `data` at `key`, replacing what is there.
    public func write(_ key: String, data: Data, contentType: String? = "application/json") async throws(StorageError) {
        if let local = self as? LocalStore {
            _ = try local.writeDirectly(key, data: data, exclusive: false)
            return
        }
        let file = try LocalFiles.temporaryFile(holding: data)
        defer { unlink(file.path) }
        try await put(key, from: file, contentType: contentType)
    }

    /// Writes `data` at `key` only if nothing is there.
    public func create(_ key: String, data: Data, contentType: String? = "application/json") async throws(StorageError) -> CreateResult {
        if let local = self as? LocalStore { return try local.writeDirectly(key, data: data, exclusive: true) }
        let file = try LocalFiles.temporaryFile(holding: data)
        defer { unlink(file.path) }
        return try await create(key, from: file, contentType: contentType)
    }
}

extension LocalStore {
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
