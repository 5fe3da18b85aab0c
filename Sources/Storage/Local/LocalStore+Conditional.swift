import Foundation

/// Conditional writes on local files (the run lock's heartbeat and takeover). A file's tag is the SHA-256 of its
/// bytes. A replace holds an exclusive `flock` on a hidden sibling (`.NAME.runner-cas.tmp`, left out of listings
/// as a temporary file) while it compares the tag and renames the new bytes into place, so two replacers of the
/// same tag are serialised and the second sees the first one's bytes. The kernel drops the `flock` of a process
/// that dies, so no stale mutex can block the next run.
extension LocalStore {
    public func readTagged(_ key: String) async throws(StorageError) -> TaggedObject? {
        let data: Data
        do {
            data = try LocalFiles.contents(of: path(key))
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
        return TaggedObject(data: data, tag: try Self.tag(of: data))
    }

    public func replace(_ key: String, data: Data, ifMatch tag: String, contentType: String?) async throws(StorageError)
        -> String?
    {
        let destination = path(key)
        let url = URL(fileURLWithPath: destination)
        let mutexPath = url.deletingLastPathComponent().appendingPathComponent(
            LocalFiles.hiddenName(for: url.lastPathComponent, suffix: ".runner-cas.tmp")
        ).path
        try LocalFiles.createParent(of: destination)
        // O_NOFOLLOW: a symbolic link planted as the mutex is refused rather than followed.
        let mutex = open(mutexPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard mutex >= 0 else { throw LocalFiles.failure(mutexPath) }
        defer { close(mutex) }
        while flock(mutex, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LocalFiles.failure(mutexPath) }
        }
        defer { flock(mutex, LOCK_UN) }
        guard let current = try await readTagged(key), current.tag == tag else { return nil }
        _ = try writeDirectly(key, data: data, exclusive: false)
        return try Self.tag(of: data)
    }

    static func tag(of data: Data) throws(StorageError) -> String {
        do throws(DigestError) {
            return "sha256:" + (try SHA256Digest.hex(of: data))
        } catch {
            throw .crypto(error.description)
        }
    }
}
