import Foundation
import Manifest
import Stages
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Runner

/// The run lock knows containers (issue #12): a holder is judged dead only on its own kernel and PID namespace, a
/// live holder keeps its lock past the stale limit, and of two runs taking over one stale lock exactly one wins.
@Suite(.serialized)
struct RunLockTests {
    /// This process as a lock holder.
    static let me = LockHolder.current()

    /// A holder like `me` but with `change` applied.
    static func holder(_ change: (inout LockHolder) -> Void = { _ in }) -> LockHolder {
        var holder = LockHolder(
            host: me.host, pid: 999_999, started: Date(), run: UUID().uuidString, bootID: me.bootID,
            pidNamespace: me.pidNamespace, processStart: 12345, refreshed: Date())
        change(&holder)
        return holder
    }

    static func stale(
        _ other: LockHolder, now: Date = Date(), staleAfter: TimeInterval = RunLock.staleAfter,
        running: Bool = false, startTime: UInt64? = nil
    ) -> Bool {
        RunLock.isStale(
            other, judgedBy: me, now: now, staleAfter: staleAfter, isRunning: { _ in running },
            startTime: { _ in startTime })
    }

    /// The checkpoints of a pipeline in a fresh local state folder.
    static func checkpoints(in folder: URL) async throws -> CheckpointStore {
        try await CheckpointStore.open(
            state: .local(path: folder.path + "/"), pipeline: "locked", stores: StoreCache(settings: S3Settings()))
    }

    static func writeLock(_ holder: LockHolder, in checkpoints: CheckpointStore) async throws {
        try await checkpoints.store.write(
            checkpoints.prefix + "lock.json", json: try StoredDates.recordEncoder.encode(holder))
    }

    static func isLocked(_ error: any Error) -> Bool {
        if case CheckpointError.locked? = error as? CheckpointError { return true }
        return false
    }

    // MARK: - Who is dead

    @Test func aHolderInAnotherPIDNamespaceIsNotJudgedByItsPid() throws {
        try #require(Self.me.pidNamespace != nil && Self.me.bootID != nil, "this test needs Linux's /proc")
        // The reproduction: same host name, a pid that does not exist here. In another PID namespace that says nothing.
        let elsewhere = Self.holder { $0.pidNamespace = "pid:[1]" }
        #expect(!Self.stale(elsewhere, running: false))
        let otherBoot = Self.holder { $0.bootID = "00000000-0000-0000-0000-000000000000" }
        #expect(
            !Self.stale(otherBoot, running: false), "a holder on another kernel (another machine) was judged by its pid"
        )
        let otherHost = Self.holder { $0.host = "another-host" }
        #expect(!Self.stale(otherHost, running: false))
    }

    @Test func aHolderOfThisNamespaceIsDeadWhenItsPidIsGoneOrReused() throws {
        try #require(Self.me.pidNamespace != nil && Self.me.bootID != nil, "this test needs Linux's /proc")
        let holder = Self.holder()
        #expect(Self.stale(holder, running: false), "a holder whose pid is gone was kept")
        #expect(
            Self.stale(holder, running: true, startTime: 99999),
            "a pid reused by a later process was taken for the holder")
        #expect(!Self.stale(holder, running: true, startTime: 12345), "a live holder was judged dead")
        #expect(!Self.stale(holder, running: true, startTime: nil))
        // The real check of this very process: alive, same start time.
        #expect(!RunLock.isStale(Self.me, judgedBy: Self.me, now: Date(), staleAfter: RunLock.staleAfter))
    }

    @Test func aRefreshedLockOlderThanTheStaleLimitSinceItStartedIsKept() {
        let now = Date()
        let longRun = Self.holder {
            $0.host = "another-host"
            $0.started = now.addingTimeInterval(-3 * RunLock.staleAfter)
            $0.refreshed = now.addingTimeInterval(-60)
        }
        #expect(!Self.stale(longRun, now: now))
        var silent = longRun
        silent.refreshed = now.addingTimeInterval(-RunLock.staleAfter - 60)
        #expect(Self.stale(silent, now: now), "a lock not refreshed for longer than the stale limit was kept")
    }

    @Test func anOldLockWithoutIdentityIsReadAndJudgedByItsAgeOnly() throws {
        // Written by the runner before issue #12: host, pid, started, run.
        let recent = Date().addingTimeInterval(-60).formatted(CheckpointStore.dateStyle)
        let json = #"{"host":"\#(Self.me.host)","pid":999999,"run":"old-run","started":"\#(recent)"}"#
        let old = try RunLock.decodeHolder(Data(json.utf8))
        #expect(old.pid == 999_999 && old.bootID == nil && old.refreshed == nil)
        #expect(!Self.stale(old, running: false), "an old lock on this host name was taken over by its pid alone")
        var ancient = old
        ancient.started = Date().addingTimeInterval(-RunLock.staleAfter - 60)
        #expect(Self.stale(ancient, running: true))
    }

    @Test func theSummaryEscapesAHostileHostName() {
        let holder = Self.holder { $0.host = "evil\u{1B}[2J\n::error::forged" }
        #expect(!holder.summary.contains("\u{1B}") && !holder.summary.contains("\n"))
    }

    // MARK: - Acquiring, refreshing, taking over

    /// Waits (up to a minute: the test pool can stall for seconds) until `condition` holds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<600 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aRefreshedLockIsKeptPastTheStaleLimitSinceItStarted() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoints = try await Self.checkpoints(in: folder)
        // A run that started three stale limits ago and whose heartbeat wrote a minute ago, on another machine.
        let longRun = Self.holder {
            $0.host = "another-host"
            $0.started = Date().addingTimeInterval(-3 * RunLock.staleAfter)
            $0.refreshed = Date().addingTimeInterval(-60)
        }
        try await Self.writeLock(longRun, in: checkpoints)
        await #expect(throws: CheckpointError.self, "a refreshed lock was taken over because its run started long ago")
        {
            _ = try await RunLock.acquire(checkpoints, holder: Self.holder { $0.host = "taker" })
        }
        #expect(try await RunLock.holder(of: checkpoints)?.run == longRun.run)
    }

    @Test func aLiveHoldersHeartbeatRefreshesItsLock() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoints = try await Self.checkpoints(in: folder)
        let first = try await RunLock.acquire(checkpoints, staleAfter: 0.2)
        // One beat by hand: `refreshed` moves, `started` and the run stay.
        try await Task.sleep(for: .milliseconds(50))
        #expect(await first.refresh() == .refreshed)
        let beaten = try #require(try await RunLock.holder(of: checkpoints))
        #expect(beaten.run == first.holder.run)
        #expect(
            abs(beaten.started.timeIntervalSince(first.holder.started)) < 0.002,
            "the heartbeat changed when the run started")
        #expect((beaten.refreshed ?? .distantPast) > first.holder.started.addingTimeInterval(0.04))
        // The loop keeps doing it (each beat conditional on the tag of the last, so none is refused as a takeover).
        let lost = Mutex<String?>(nil)
        first.startHeartbeat { reason in lost.withLock { $0 = reason } }
        let refreshedAgain = try await Self.eventually {
            let refreshed = try await RunLock.holder(of: checkpoints)?.refreshed ?? .distantPast
            return refreshed > (beaten.refreshed ?? .distantPast).addingTimeInterval(0.3)
        }
        #expect(refreshedAgain, "the heartbeat did not refresh the lock")
        #expect(lost.withLock { $0 } == nil, "the heartbeat took its own rewrite for a takeover")
        await first.release()
        #expect(try await RunLock.holder(of: checkpoints) == nil, "release left the lock behind")
    }

    @Test func aHolderWhoseLockIsTakenOverIsTold() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoints = try await Self.checkpoints(in: folder)
        let first = try await RunLock.acquire(checkpoints, staleAfter: 0.4)
        let lost = Mutex<String?>(nil)
        first.startHeartbeat { reason in lost.withLock { $0 = reason } }
        let forced = try await RunLock.acquire(
            checkpoints, holder: Self.holder { $0.host = "another-host" }, force: true, staleAfter: 0.4)
        #expect(try await Self.eventually { lost.withLock { $0 } != nil })
        let reason = try #require(lost.withLock { $0 }, "the heartbeat did not notice the takeover")
        #expect(reason.contains("taken over") && reason.contains("another-host"))
        // The first run's release must not remove the second run's lock, nor its heartbeat rewrite it.
        await first.release()
        #expect(try await RunLock.holder(of: checkpoints)?.run == forced.holder.run)
        await forced.release()
    }

    @Test(arguments: [false, true])
    func ofManyTakersOfAStaleLockExactlyOneWins(onS3: Bool) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoints: CheckpointStore
        if onS3 {
            let store = try await Moto.store("lock")
            checkpoints = CheckpointStore(
                folder: .s3(bucket: store.bucket, key: "state/locked/"), store: store, prefix: "state/locked/",
                stores: StoreCache(settings: S3Settings()))
        } else {
            checkpoints = try await Self.checkpoints(in: folder)
        }
        for round in 0..<5 {
            // Stale by age: last refreshed two days ago, on another machine.
            let dead = Self.holder {
                $0.host = "dead-host"
                $0.started = Date().addingTimeInterval(-2 * RunLock.staleAfter)
                $0.refreshed = $0.started
            }
            try await Self.writeLock(dead, in: checkpoints)
            let takers = (0..<6).map { index in
                Self.holder {
                    $0.host = "taker-\(round)-\(index)"
                    $0.run = UUID().uuidString
                }
            }
            let winners = try await withThrowingTaskGroup(of: RunLock?.self) { group in
                for taker in takers {
                    group.addTask {
                        do {
                            return try await RunLock.acquire(checkpoints, holder: taker)
                        } catch {
                            guard Self.isLocked(error) else { throw error }
                            return nil
                        }
                    }
                }
                var won: [RunLock] = []
                for try await lock in group { if let lock { won.append(lock) } }
                return won
            }
            #expect(winners.count == 1, "round \(round): \(winners.count) runs took the same stale lock")
            let holder = try #require(try await RunLock.holder(of: checkpoints))
            #expect(winners.first?.holder.run == holder.run, "the lock names another run than the winner")
            for winner in winners { await winner.release() }
        }
    }

    /// The reproduction, end to end: while this process holds the lock, `runner apply` started in a new PID
    /// namespace on the same host (`unshare --pid --fork --mount-proc`) must be refused, not take the lock over.
    @Test func anApplyInAnotherPIDNamespaceDoesNotTakeTheLockOver() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            // Without root, the namespace case is covered by aHolderInAnotherPIDNamespaceIsNotJudgedByItsPid.
            return
        }
        let probe = try run("/usr/bin/unshare", ["--pid", "--fork", "--mount-proc", "/bin/true"])
        guard probe.status == 0 else { return }  // a container that forbids new namespaces
        let project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        try project.write(
            manifest: """
                version: 1
                name: locked
                providers:
                  draft: { type: kenburns }
                stages:
                  frames: { type: frames, from: ./frames/ }
                  clips:  { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, to: ./out/clips/ }
                """)
        let checkpoints = try await CheckpointStore.open(
            state: .local(path: project.path(".runner/state") + "/"), pipeline: "locked",
            stores: StoreCache(settings: S3Settings()))
        let lock = try await RunLock.acquire(checkpoints)
        let result = try run(
            "/usr/bin/unshare", ["--pid", "--fork", "--mount-proc", PackagePaths.runner, "apply", project.manifest],
            environment: project.environment, in: project.folder)
        let holder = try await RunLock.holder(of: checkpoints)
        await lock.release()
        #expect(
            result.status != 0,
            "an apply in another PID namespace ran while the lock was held:\n\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains("locked by another run"), "\(result.stdout)\(result.stderr)")
        #expect(holder?.run == lock.holder.run, "the lock was taken over")
        #expect(project.files(under: "out").isEmpty, "the second apply made clips")
    }
}

/// Reading `/proc`.
struct ProcessIdentityTests {
    @Test func theStartTimeIsField22CountedAfterTheCommandName() {
        // A command name may hold spaces and parentheses.
        let line = "4242 (evil) (name x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10"
        #expect(ProcessIdentity.startTime(statLine: line) == 987_654)
        #expect(ProcessIdentity.startTime(statLine: "garbage") == nil)
    }

    @Test func thisProcessIsDescribed() throws {
        try #require(FileManager.default.fileExists(atPath: "/proc/self/stat"), "this test needs Linux's /proc")
        #expect(ProcessIdentity.bootID()?.count == 36)
        #expect(ProcessIdentity.pidNamespace()?.hasPrefix("pid:[") == true)
        #expect(ProcessIdentity.ownStartTime() != nil)
        #expect(ProcessIdentity.startTime(of: getpid()) == ProcessIdentity.ownStartTime())
    }
}
