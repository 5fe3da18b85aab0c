import Foundation
import Manifest
import Storage

/// Who holds a pipeline's lock.
public struct LockHolder: Codable, Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var started: Date
    /// A random id, so a run only ever removes its own lock.
    public var run: String

    /// This process, now.
    public static func current() -> LockHolder {
        LockHolder(host: ProcessInfo.processInfo.hostName, pid: getpid(), started: Date(), run: UUID().uuidString)
    }

    /// "host H, pid P, since T".
    public var summary: String {
        "host \(host), pid \(pid), since \(ISO8601DateFormatter().string(from: started))"
    }
}

/// A create-only object at `STATE/<pipeline>/lock.json` that keeps two runs of one pipeline from interleaving.
///
/// A lock is stale, and taken over, when its holder ran on this host and that process is gone (a run killed
/// with SIGKILL), or when it is older than `staleAfter` (a machine that died mid-run). Anything else refuses.
public struct RunLock: Sendable {
    public static let staleAfter: TimeInterval = 24 * 3600

    let store: any ObjectStore
    let key: String
    /// The lock's location, for messages.
    public let location: String
    public let holder: LockHolder

    /// Takes the lock of the pipeline whose state folder is `checkpoints`, or throws naming the holder.
    public static func acquire(_ checkpoints: CheckpointStore, holder: LockHolder = .current(), force: Bool = false) async throws -> RunLock {
        let key = checkpoints.prefix + "lock.json"
        let lock = RunLock(store: checkpoints.store, key: key, location: checkpoints.folder.appending("lock.json").description,
                           holder: holder)
        let data = try CheckpointStore.encoder.encode(holder)
        for _ in 0..<3 {
            if try await lock.store.create(key, json: data) == .created { return lock }
            // Nil: released between our create and our read.
            guard let data = try await lock.store.readIfPresent(key) else { continue }
            let existing: LockHolder
            do {
                existing = try CheckpointStore.decoder.decode(LockHolder.self, from: data)
            } catch {
                // A lock we cannot read protects nothing we can name; only --force-unlock removes it.
                guard force else {
                    throw CheckpointError.locked(holder: LockHolder(host: "unknown", pid: 0, started: Date(), run: "?"), location: lock.location)
                }
                try await lock.store.delete(key)
                continue
            }
            guard force || lock.isStale(existing) else { throw CheckpointError.locked(holder: existing, location: lock.location) }
            try await lock.store.delete(key)
        }
        throw CheckpointError.locked(holder: holder, location: lock.location)
    }

    /// The holder of the pipeline's lock, if anyone holds it.
    public static func holder(of checkpoints: CheckpointStore) async throws -> LockHolder? {
        guard let data = try await checkpoints.store.readIfPresent(checkpoints.prefix + "lock.json") else { return nil }
        return try? CheckpointStore.decoder.decode(LockHolder.self, from: data)
    }

    /// Removes the lock if it is still ours. Runs in a task of its own: after Ctrl-C the run's task is
    /// cancelled, and so would be the S3 requests made from it, leaving the lock behind (and other hosts
    /// refused for `staleAfter`).
    public func release() async {
        let store = self.store, key = self.key, run = holder.run
        await Task {
            guard let data = try? await store.read(key),
                  let current = try? CheckpointStore.decoder.decode(LockHolder.self, from: data),
                  current.run == run
            else { return }
            try? await store.delete(key)
        }.value
    }

    func isStale(_ other: LockHolder) -> Bool {
        if Date().timeIntervalSince(other.started) > Self.staleAfter { return true }
        guard other.host == holder.host else { return false }
        return kill(other.pid, 0) != 0 && errno == ESRCH
    }
}
