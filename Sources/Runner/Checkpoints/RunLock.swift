import Foundation
import Manifest
import Stages
import Storage
import Synchronization

/// Who holds a pipeline's lock.
///
/// The host name alone does not say whether the holder is on this machine: containers and PID namespaces share it
/// and reuse each other's process ids. So the holder also names the kernel's boot id, its PID namespace and its
/// process start time; locks written before these existed lack them (and are judged by their age only).
public struct LockHolder: Codable, Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var started: Date
    /// A random id, so a run only ever removes its own lock.
    public var run: String
    /// `/proc/sys/kernel/random/boot_id` of the holder's kernel.
    public var bootID: String?
    /// The holder's PID namespace (`pid:[4026531836]`), in which `pid` is its process id.
    public var pidNamespace: String?
    /// The holder's start time in clock ticks since boot (`/proc/PID/stat` field 22): a reused pid starts later.
    public var processStart: UInt64?
    /// When the holder last said it is alive (its heartbeat rewrites the lock every `staleAfter / 4`).
    public var refreshed: Date?

    /// A holder.
    public init(
        host: String, pid: Int32, started: Date, run: String, bootID: String? = nil, pidNamespace: String? = nil,
        processStart: UInt64? = nil, refreshed: Date? = nil
    ) {
        self.host = host
        self.pid = pid
        self.started = started
        self.run = run
        self.bootID = bootID
        self.pidNamespace = pidNamespace
        self.processStart = processStart
        self.refreshed = refreshed
    }

    /// This process, now.
    public static func current() -> LockHolder {
        let now = Date()
        let pid = getpid()
        return LockHolder(
            host: ProcessInfo.processInfo.hostName, pid: pid, started: now, run: UUID().uuidString,
            bootID: ProcessIdentity.bootID(), pidNamespace: ProcessIdentity.pidNamespace(),
            processStart: ProcessIdentity.ownStartTime(), refreshed: now)
    }

    /// The last time the holder was known alive.
    public var lastSeen: Date { refreshed ?? started }

    /// "host H, pid P in PID namespace N, since T, alive at T2" (the host escaped: a lock file is not trusted).
    public var summary: String {
        let dates = ISO8601DateFormatter()
        var text = "host \(InertText.escaped(host)), pid \(pid)"
        if let pidNamespace { text += " in PID namespace \(InertText.escaped(pidNamespace))" }
        text += ", since \(dates.string(from: started))"
        if let refreshed { text += ", alive at \(dates.string(from: refreshed))" }
        return text
    }
}

/// A create-only object at `STATE/<pipeline>/lock.json` that keeps two runs of one pipeline from interleaving.
///
/// A lock is stale, and taken over, when it was last refreshed more than `staleAfter` ago (a machine that died
/// mid-run), or when its holder ran on this machine (same host name, boot id and PID namespace) and that process is
/// gone or its pid now belongs to a process started later. A holder in another container or PID namespace is never
/// judged by its pid. A live holder refreshes the lock (`startHeartbeat`), so a run longer than `staleAfter` keeps
/// it. A takeover replaces the stale lock only if it is still the one that was read (S3 `If-Match` on its ETag;
/// locally a compare-and-rename under `flock`), so of two runs that find the same stale lock, one wins.
public struct RunLock: Sendable {
    public static let staleAfter: TimeInterval = 24 * 3600

    let store: any ObjectStore
    let key: String
    /// The lock's location, for messages.
    public let location: String
    public let holder: LockHolder
    let staleAfter: TimeInterval
    private let heartbeat: Heartbeat

    /// Takes the lock of the pipeline whose state folder is `checkpoints`, or throws naming the holder.
    public static func acquire(
        _ checkpoints: CheckpointStore, holder: LockHolder = .current(), force: Bool = false,
        staleAfter: TimeInterval = RunLock.staleAfter
    ) async throws -> RunLock {
        let key = checkpoints.prefix + "lock.json"
        let location = checkpoints.folder.appending("lock.json").description
        let store = checkpoints.store
        try checkpoints.checkWrite(key)
        let data = try StoredDates.recordEncoder.encode(holder)
        var lastHolder = holder
        for _ in 0..<3 {
            if try await store.create(key, json: data) == .created {
                // Our own tag, for the heartbeat's conditional rewrites.
                guard let mine = try await store.readTagged(key), (try? decodeHolder(mine.data))?.run == holder.run
                else { continue }
                return RunLock(
                    store: store, key: key, location: location, holder: holder, staleAfter: staleAfter, tag: mine.tag)
            }
            // Nil: released between our create and our read.
            guard let current = try await store.readTagged(key) else { continue }
            // Ours already: a conditional write whose answer was lost and whose retry was refused (412) did succeed.
            if let existing = try? decodeHolder(current.data), existing.run == holder.run {
                return RunLock(
                    store: store, key: key, location: location, holder: holder, staleAfter: staleAfter, tag: current.tag
                )
            }
            if let existing = try? decodeHolder(current.data) {
                lastHolder = existing
                guard force || isStale(existing, judgedBy: holder, now: Date(), staleAfter: staleAfter) else {
                    throw CheckpointError.locked(holder: existing, location: location)
                }
            } else if !force {
                // A lock we cannot read protects nothing we can name; only --force-unlock replaces it.
                throw CheckpointError.locked(
                    holder: LockHolder(host: "unknown", pid: 0, started: Date(), run: "?"), location: location)
            }
            if let tag = try await store.replace(key, data: data, ifMatch: current.tag, contentType: "application/json")
            {
                return RunLock(
                    store: store, key: key, location: location, holder: holder, staleAfter: staleAfter, tag: tag)
            }
            // Another run replaced it first: the next round reads that run's lock, which is fresh, and refuses.
        }
        throw CheckpointError.locked(holder: lastHolder, location: location)
    }

    private init(
        store: any ObjectStore, key: String, location: String, holder: LockHolder, staleAfter: TimeInterval, tag: String
    ) {
        self.store = store
        self.key = key
        self.location = location
        self.holder = holder
        self.staleAfter = staleAfter
        heartbeat = Heartbeat(tag: tag)
    }

    /// The holder of the pipeline's lock, if anyone holds it.
    public static func holder(of checkpoints: CheckpointStore) async throws -> LockHolder? {
        guard let data = try await checkpoints.store.readIfPresent(checkpoints.prefix + "lock.json") else { return nil }
        return try? decodeHolder(data)
    }

    /// Rewrites the lock's `refreshed` every `staleAfter / 4`, each time only if the lock is still the one this run
    /// wrote; when it is not (another run took it over), calls `onLost` with a sentence and stops. A failed rewrite
    /// (the network) is tried again at the next beat. Runs in a task of its own until `release()`.
    public func startHeartbeat(onLost: @escaping @Sendable (String) -> Void) {
        let interval = max(staleAfter / 4, 0.01)
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { return }
                switch await refresh() {
                case .refreshed, .notWritten: continue
                case .lost(let reason):
                    onLost(reason)
                    return
                }
            }
        }
        heartbeat.task.withLock { $0 = task }
    }

    /// What one heartbeat did.
    public enum Refresh: Sendable, Equatable {
        /// The lock says the holder was alive now.
        case refreshed
        /// The store could not be written (the network); the next beat tries again.
        case notWritten
        /// Another run replaced the lock: a sentence saying so.
        case lost(String)
    }

    /// One heartbeat: rewrites the lock's `refreshed` with now, only if the lock is still the one this run wrote.
    public func refresh() async -> Refresh {
        var holder = self.holder
        holder.refreshed = Date()
        guard let data = try? StoredDates.recordEncoder.encode(holder) else { return .notWritten }
        let tag = heartbeat.tag.withLock { $0 }
        do {
            guard let newTag = try await store.replace(key, data: data, ifMatch: tag, contentType: "application/json")
            else {
                let current = try? await store.readTagged(key)
                let other = current.flatMap { try? Self.decodeHolder($0.data) }
                // Still ours: a rewrite whose answer was lost, retried and refused, had been made. Go on from its tag.
                if let current, other?.run == holder.run {
                    heartbeat.tag.withLock { $0 = current.tag }
                    return .refreshed
                }
                return .lost(
                    "the lock \(location) was taken over by another run" + (other.map { " (\($0.summary))" } ?? "")
                        + "; this run stopped starting new work. Make sure two applies of one pipeline never run at once"
                )
            }
            heartbeat.tag.withLock { $0 = newTag }
            return .refreshed
        } catch {
            return .notWritten
        }
    }

    /// Stops the heartbeat and removes the lock if it is still ours. Runs in a task of its own: after Ctrl-C the
    /// run's task is cancelled, and so would be the S3 requests made from it, leaving the lock behind (and other
    /// hosts refused for `staleAfter`).
    public func release() async {
        let store = self.store
        let key = self.key
        let run = holder.run
        let heartbeat = self.heartbeat
        await Task {
            if let task = heartbeat.task.withLock({ $0 }) {
                task.cancel()
                await task.value
            }
            guard let data = try? await store.read(key),
                let current = try? Self.decodeHolder(data),
                current.run == run
            else { return }
            try? await store.delete(key)
        }.value
    }

    static func decodeHolder(_ data: Data) throws -> LockHolder {
        try StoredDates.recordDecoder.decode(LockHolder.self, from: data)
    }

    /// Whether `other`'s lock may be taken over by `me`: not refreshed for `staleAfter`, or held by a process of
    /// this machine and PID namespace that is gone (`isRunning` false) or whose pid now names a later process.
    static func isStale(
        _ other: LockHolder, judgedBy me: LockHolder, now: Date, staleAfter: TimeInterval,
        isRunning: (Int32) -> Bool = Self.isRunning, startTime: (Int32) -> UInt64? = ProcessIdentity.startTime(of:)
    ) -> Bool {
        if now.timeIntervalSince(other.lastSeen) > staleAfter { return true }
        // Only a holder of this kernel and PID namespace can be judged by its pid; an old lock without them cannot.
        guard other.host == me.host, let boot = other.bootID, boot == me.bootID,
            let namespace = other.pidNamespace, namespace == me.pidNamespace
        else { return false }
        guard other.pid > 0, isRunning(other.pid) else { return true }
        if let recorded = other.processStart, let actual = startTime(other.pid), actual != recorded { return true }
        return false
    }

    /// Whether a process with this id exists (EPERM: it does, under another user).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }

    /// The heartbeat's state, shared with its task.
    private final class Heartbeat: Sendable {
        let tag: Mutex<String>
        let task = Mutex<Task<Void, Never>?>(nil)

        init(tag: String) { self.tag = Mutex(tag) }
    }
}
