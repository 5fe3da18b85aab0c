import Foundation
import Storage
import TestSupport
import Testing

/// `runner apply` interrupted: killed outright (SIGKILL), stopped with Ctrl-C (SIGINT), or run twice at once.
/// Each test uses its own buckets and double tenants; the suite runs its tests one at a time so that the
/// wall time measured by the SIGKILL test is that of a run with the machine to itself (as far as this suite goes).
@Suite("Interruptions", .serialized)
struct InterruptionTests {
    static let frames = 6

    /// The double for the SIGKILL test: short generations, three at a time, one shared clip per ratio and
    /// duration, so every run of the same frames makes the same film, byte for byte.
    static func quickDouble() -> [String: Any] {
        ["generationSeconds": 0.3, "concurrencyLimit": 3, "precomputedClips": true]
    }

    /// A double whose tasks run until the test lets them finish (`release(_:)`): no assertion depends on timing.
    static func heldDouble() -> [String: Any] {
        ["generationSeconds": 600.0, "concurrencyLimit": 3, "precomputedClips": true]
    }

    /// Lets the tasks of a held double finish at once (config changes apply to running tasks too).
    static func release(_ cloud: Cloud) async throws {
        try await cloud.tenant.configure(["generationSeconds": 0.1])
    }

    // MARK: - SIGKILL

    /// Ten pipelines, each killed once at its own moment and then rerun. One pipeline killed ten times would be
    /// cheaper, but once its clips are made the later kills mostly land on a run that has nothing left to do
    /// (or has already exited), so fewer of the ten moments would really interrupt work; ten fresh pipelines
    /// put every moment, from start-up to publishing, into a run with all of its work ahead. Two of them run at
    /// a time, which keeps the test near 40 s on two loaded cores (one at a time took 65 to 80 s). A moment that
    /// comes after its run has already finished is drawn again (at most 10 times) within the time that run took, so ten
    /// kills really interrupt.
    /// RUNNER_TEST_KILLS sets another number of kills (a soak run); RUNNER_TEST_SEED replays a draw.
    @Test(
        "SIGKILL at 10 random moments of apply (S3 state), then a rerun: exit 0, one task per clip, the film byte-identical to an uninterrupted run's",
        .timeLimit(.minutes(10)))
    func sigkillAtRandomMomentsThenRerun() async throws {
        let seed = SeededGenerator.seed()
        var random = SeededGenerator(seed: seed)
        let kills = ProcessInfo.processInfo.environment["RUNNER_TEST_KILLS"].flatMap { Int($0) } ?? 10
        let replay = "seed \(seed) (RUNNER_TEST_SEED=\(seed) draws the same moments)"
        print("InterruptionTests SIGKILL: \(replay)")

        // Two uninterrupted runs of fresh pipelines. The first also warms the double up (it renders its shared
        // clip once), so the second's wall time is that of an ordinary run: the span the kill moments are drawn
        // from. Their films must be identical, or comparing a resumed run's film with them would mean nothing.
        var films: [Data] = []
        var span = 0.0
        for tag in ["warm-up", "reference"] {
            var reference = try PipelineProject.make(frames: Self.frames)
            defer { reference.remove() }
            let cloud = try await Cloud.make(for: &reference, runway: Self.quickDouble())
            try reference.write(manifest: Manifests.runway(bucket: cloud.bucket, state: "s3://\(cloud.bucket)/state/"))
            let started = ContinuousClock.now
            let run = try await reference.apply(tag: tag)
            span = Self.seconds(ContinuousClock.now - started)
            try #require(run.status == 0, "the uninterrupted \(tag) run failed: \(run.stderr)")
            #expect(try await cloud.tasksCreated() == Self.frames, "the uninterrupted \(tag) run; \(replay)")
            films.append(try await cloud.bytes(of: "final/film.mp4"))
        }
        let film = films[1]
        try #require(
            !film.isEmpty && films[0] == film,
            "two uninterrupted runs made different films (\(films.map(\.count)) bytes)")

        let fractions = (0..<(kills + 10)).map { _ in Double.random(in: 0...1, using: &random) }
        print(String(format: "InterruptionTests SIGKILL: uninterrupted run %.2f s; %d kills", span, kills))
        let dispenser = MomentDispenser(fractions: fractions, span: span, kills: kills)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while true {
                        switch await dispenser.next() {
                        case .done: return
                        case .wait: try await Task.sleep(for: .milliseconds(100))
                        case .moment(let index, let delay):
                            let moment = String(format: "moment %d at %.3f s; %@", index + 1, delay, replay)
                            let outcome = try await Self.killAndRerun(after: delay, moment: moment, film: film)
                            await dispenser.finished(outcome)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let (hits, draws, orphaned) = await dispenser.totals
        print(
            "InterruptionTests SIGKILL: \(hits) kills in \(draws) moments; \(orphaned) left a task that no record names; \(replay)"
        )
        #expect(hits == kills, "only \(hits) of \(draws) drawn moments came before the run had finished; \(replay)")
    }

    /// One fresh pipeline: apply, SIGKILL after `delay` seconds, then a rerun to completion, checked.
    static func killAndRerun(after delay: Double, moment: String, film: Data) async throws -> MomentDispenser.Outcome {
        var project = try PipelineProject.make(frames: frames)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project, runway: quickDouble())
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, state: "s3://\(cloud.bucket)/state/"))

        let victim = try project.startApply(tag: "killed")
        try await Task.sleep(for: .seconds(delay))
        let killTime = Date()
        victim.send(SIGKILL)
        let exited = await victim.waitForExit(limit: .seconds(60))
        try #require(exited, "the killed run did not exit; \(moment)")
        guard victim.wasKilled else {
            print(
                "InterruptionTests SIGKILL: \(moment) came after the run had exited (status \(victim.process.terminationStatus)); drawing again"
            )
            // It finished within `delay`: later moments are drawn within that.
            return .missed(ranFor: delay)
        }

        let left = try await cloud.s3Records(pipeline: "cloud-test")
        let lockLeft = (try? await cloud.store.head("state/cloud-test/lock.json")) != nil
        // What the killed run knew when it died: its events (each written straight to its stdout file, so none is
        // lost to a buffer) and its journal (each answered POST, appended before the record is written).
        let killedEvents = victim.events()
        let journaled = project.journalTaskIDs(pipeline: "cloud-test")

        let rerun = try await project.apply(tag: "rerun")
        #expect(rerun.status == 0, "the rerun failed: \(rerun.stderr); \(moment)")
        let final = try await cloud.s3Records(pipeline: "cloud-test")
        let tasks = try await cloud.tasksCreated()
        // Every task the killed run recorded was resumed (or was done), never paid again.
        for record in left {
            let now = final.first { $0.item == record.item }
            #expect(
                record.taskID == nil || now?.taskID == record.taskID,
                "\(record.item): the killed run recorded task \(record.taskID ?? "-") (\(record.state)), the rerun used \(now?.taskID ?? "none"); \(moment)"
            )
        }
        // Tasks that no record names: a kill after a POST reached the double and before its answer was journaled
        // leaves one, which the rerun cannot know of and pays again (Runway has no idempotency key).
        // Created after the kill: the double was still handling the POST; before: its answer was on its way.
        let unrecorded = try await cloud.taskIDs().subtracting(final.compactMap(\.taskID))
        var createdVsKill: [String] = []
        var offsets: [Double] = []
        for task in unrecorded.sorted() {
            if let created = try await cloud.createdAt(task: task) {
                offsets.append(created.timeIntervalSince(killTime))
                createdVsKill.append(String(format: "%+.0f ms", created.timeIntervalSince(killTime) * 1000))
            }
        }
        let states = Dictionary(grouping: left, by: \.state).mapValues(\.count).sorted { $0.key < $1.key }
        print(
            "InterruptionTests SIGKILL: \(moment): killed; records left \(states.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), "
                + "lock left \(lockLeft); tasks after the rerun \(tasks), unrecorded \(unrecorded.count)"
                + (createdVsKill.isEmpty ? "" : " (created \(createdVsKill.joined(separator: ", ")) after the kill)"))
        let message: Comment =
            "\(tasks) tasks for \(frames) clips: \(unrecorded.count) task(s) no record names, created \(createdVsKill.joined(separator: ", ")) after the kill: \(moment)"
        // Every clip ends with one record naming one task of its own, and no task exists besides those and the unrecorded.
        #expect(
            final.count == frames && final.allSatisfy { $0.state == "succeeded" }
                && Set(final.compactMap(\.taskID)).count == frames,
            "records after the rerun: \(final); \(moment)")
        #expect(tasks == frames + unrecorded.count, message)
        // The one known way to pay twice (docs/architecture.md, known limits): a kill while a POST is on the wire, so
        // that the killed run was never answered. The window is pinned exactly: a tolerated task is one the killed run
        // never heard of (not in its events, not in its journal, not in a record it left), there are no more of them
        // than clips whose submission was under way at the kill (started, neither submitted nor finished, in the killed
        // run's events), and each was created after the first of those started and at most half a second after the
        // kill (the double may still have been handling the POST). Any other task paid twice fails the test; one in the
        // window is reported as a known, intermittent issue (about 2 % of kills here).
        let known = Set(killedEvents.compactMap { $0["taskID"] as? String }).union(journaled).union(
            left.compactMap(\.taskID))
        #expect(
            unrecorded.isDisjoint(with: known),
            "paid again for a task the killed run knew of: \(unrecorded.intersection(known).sorted()); \(message)")
        let underWay = Self.submissionsUnderWay(killedEvents)
        #expect(
            unrecorded.count <= underWay.items.count,
            "\(unrecorded.count) unrecorded task(s), but only \(underWay.items.sorted()) had a submission under way at the kill; \(message)"
        )
        if !unrecorded.isEmpty {
            #expect(
                offsets.count == unrecorded.count,
                "the double could not say when each unrecorded task was created; \(message)")
            for offset in offsets {
                let afterStart =
                    underWay.firstStarted.map { killTime.addingTimeInterval(offset).timeIntervalSince($0) >= -0.005 }
                    ?? false
                #expect(
                    afterStart && offset < 0.5, "an unrecorded task created outside the window of the kill; \(message)")
            }
            withKnownIssue(
                "SIGKILL while a POST was on the wire: its task is paid again by the rerun", isIntermittent: true
            ) {
                Issue.record(message)
            }
        }
        let resumedFilm = try? await cloud.bytes(of: "final/film.mp4")
        #expect(
            resumedFilm == film,
            "the film differs from the uninterrupted run's (\(resumedFilm?.count ?? -1) bytes, reference \(film.count)); \(moment)"
        )
        #expect(
            (try? await cloud.store.head("state/cloud-test/lock.json")) == nil, "the rerun left its lock; \(moment)")
        return unrecorded.isEmpty ? .killed : .killedLeavingUnrecordedTask
    }

    /// The clips whose submission was under way when the run that printed `events` died (their last event is
    /// `itemStarted`: the POST may have been on the wire), and when the first of them started.
    static func submissionsUnderWay(_ events: [[String: Any]]) -> (items: Set<String>, firstStarted: Date?) {
        var last: [String: (kind: String, time: String)] = [:]
        for event in events {
            guard let kind = event["kind"] as? String, let item = event["item"] as? String,
                event["stage"] as? String == "clips",
                ["itemStarted", "itemResumed", "itemSubmitted", "itemSucceeded", "itemFailed"].contains(kind)
            else { continue }
            last[item] = (kind, event["time"] as? String ?? "")
        }
        let underWay = last.filter { $0.value.kind == "itemStarted" }
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (Set(underWay.keys), underWay.values.compactMap { try? format.parse($0.time) }.min())
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: - SIGINT

    @Test(
        "SIGINT exits 130 and leaves clean state: no lock, no temporary files, every record submitted or succeeded; status lists the submitted tasks and the rerun resumes them without paying again",
        .timeLimit(.minutes(3)), arguments: StateKind.allCases)
    func sigintLeavesCleanState(_ kind: StateKind) async throws {
        var project = try PipelineProject.make(frames: Self.frames)
        defer { project.remove() }
        // Scratch files (fetched frames, clips before upload) go inside the project, where the checks below see them.
        let scratch = project.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        project.environment["TMPDIR"] = scratch.path
        let cloud = try await Cloud.make(for: &project, runway: Self.heldDouble())
        let state = PipelineState(kind: kind, project: project, cloud: cloud, name: "sigint-test")
        try project.write(
            manifest: Manifests.runway(
                bucket: cloud.bucket, name: state.name, state: state.manifestValue, concurrency: 3))

        let run = try project.startApply(tag: "interrupted")
        // Three lanes: once three tasks are recorded no submission is in flight (the next waits for a clip,
        // and the held double finishes none).
        let inFlight = try await eventually(limit: .seconds(60)) {
            try await state.records().filter { $0.state == "submitted" }.count >= 3
        }
        try #require(inFlight, "no task was recorded as submitted: \(run.finishIfExited())")
        // The tasks run for 10 minutes: an apply that waited for them instead of stopping would not exit.
        let output = try await run.interrupt()
        #expect(
            output.status == 130 && run.process.terminationReason == .exit,
            "exit status \(output.status): \(output.stderr)")

        #expect(!(await state.lockExists()), "the lock is left")
        #expect(project.temporaryFiles() == [], "temporary files are left")
        let scratchLeft = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(scratchLeft == [], "scratch files are left in TMPDIR")
        let records = try await state.records()
        let submitted = records.filter { $0.state == "submitted" }
        #expect(submitted.count >= 3)
        for record in records {
            #expect(
                record.state == "succeeded" || (record.state == "submitted" && !(record.taskID ?? "").isEmpty),
                "\(record.item): \(record.state), task \(record.taskID ?? "none")")
        }
        // Every task the double made is recorded, so none will be paid for again.
        let created = try await cloud.taskIDs()
        #expect(
            created == Set(records.compactMap(\.taskID)),
            "tasks the double made: \(created.sorted()); recorded: \(records)")

        let status = try project.runner("status", project.manifest)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\(submitted.count) submitted"), "\(status.stdout)")
        for record in submitted {
            let line = status.stdout.split(separator: "\n").first { $0.contains(record.item) }
            #expect(
                line?.contains("submitted") == true && line?.contains(record.taskID ?? "?") == true,
                "status does not list \(record.item) as submitted with its task: \(status.stdout)")
        }
        #expect(!status.stdout.contains("locked by"), "\(status.stdout)")

        try await Self.release(cloud)
        let rerun = try project.startApply(tag: "rerun")
        let finished = await rerun.waitForExit(limit: .seconds(120))
        if !finished { rerun.send(SIGKILL) }
        let rerunOutput = rerun.finish()
        #expect(rerunOutput.status == 0, "the rerun failed: \(rerunOutput.stderr)")
        #expect(try await cloud.tasksCreated() == Self.frames, "tasks paid again")
        let resumed = Set(
            rerun.events().filter { $0["kind"] as? String == "itemResumed" }.compactMap { $0["item"] as? String })
        #expect(
            resumed == Set(submitted.map(\.item)),
            "resumed \(resumed.sorted()); submitted before \(submitted.map(\.item))")
        #expect(try await state.records().allSatisfy { $0.state == "succeeded" })
    }

    /// Ctrl-C while a submission's answer is on its way: the task exists and is paid for, so it must be waited
    /// for and recorded like the tasks already in flight, or the next run pays for the clip again. A proxy in
    /// front of the double holds that answer back for 3 s, so the moment is not left to chance. With S3 state the
    /// record of that task is also written after the interruption.
    @Test(
        "SIGINT while a submission's answer is on its way: the task is recorded, and the rerun pays for no clip twice",
        .timeLimit(.minutes(3)), arguments: StateKind.allCases)
    func sigintDuringSubmissionRecordsTheTask(_ kind: StateKind) async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project, runway: Self.heldDouble())
        let proxy = try HoldProxy(upstream: cloud.tenant.base, target: 3, seconds: 3)
        defer { proxy.stop() }
        project.environment["RUNWAYML_BASE_URL"] = proxy.endpoint.absoluteString
        let state = PipelineState(kind: kind, project: project, cloud: cloud, name: "answer-test")
        try project.write(
            manifest: Manifests.runway(bucket: cloud.bucket, name: state.name, state: state.manifestValue))

        let run = try project.startApply(tag: "interrupted")
        let held = try await eventually(limit: .seconds(60)) {
            let submitted = try await state.records().filter { $0.state == "submitted" }
            return proxy.log.contains("holding 3") && submitted.count == 2
        }
        try #require(held, "the third submission's answer was never held: \(proxy.log); \(run.finishIfExited())")
        let output = try await run.interrupt()
        #expect(output.status == 130, "exit status \(output.status): \(output.stderr)")
        // The held answer has gone to the runner, or found it gone.
        let answered = await eventually(limit: .seconds(30)) {
            proxy.log.contains("released 3") || proxy.log.contains("client gone 3")
        }
        #expect(answered, "\(proxy.log)")

        let created = try await cloud.taskIDs()
        let records = try await state.records()
        #expect(created.count == 3, "the double made \(created.count) tasks")
        #expect(
            created == Set(records.compactMap(\.taskID)),
            "a paid task is not recorded, so the next run pays for its clip again; tasks \(created.sorted()), records \(records); proxy: \(proxy.log)"
        )
        #expect(!(await state.lockExists()), "the lock is left")

        try await Self.release(cloud)
        let rerun = try await project.apply(tag: "rerun")
        #expect(rerun.status == 0, "the rerun failed: \(rerun.stderr)")
        let tasks = try await cloud.tasksCreated()
        #expect(tasks == 3, "\(tasks) tasks for 3 clips")
    }

    // MARK: - The lock

    @Test(
        "A second apply of a running pipeline exits 1 naming the holder's host and pid; the first completes normally",
        .timeLimit(.minutes(3)))
    func secondApplyRefusesWhileFirstRuns() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project, runway: Self.heldDouble())
        let name = "lock-test"
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, name: name))

        let first = try project.startApply(tag: "first")
        let lock = project.stateFolder(name).appendingPathComponent("lock.json")
        // A submitted record means the first run holds the lock and is working (its tasks are held).
        let working = await eventually(limit: .seconds(60)) {
            !project.localRecords(pipeline: name).filter { $0.state == "submitted" }.isEmpty
        }
        try #require(working, "the first apply never submitted: \(first.finishIfExited())")
        #expect(FileManager.default.fileExists(atPath: lock.path))

        let second = try await project.apply(tag: "second", limit: .seconds(60))
        #expect(second.status == 1, "second apply: exit \(second.status): \(second.stderr)")
        let host = ProcessInfo.processInfo.hostName
        #expect(
            second.stderr.contains("host \(host), pid \(first.pid)"),
            "the refusal does not name host \(host) and pid \(first.pid): \(second.stderr)")
        #expect(first.process.isRunning, "the first apply stopped")

        try await Self.release(cloud)
        let finished = await first.waitForExit(limit: .seconds(120))
        if !finished { first.send(SIGKILL) }
        let output = first.finish()
        #expect(output.status == 0, "the first apply: exit \(output.status): \(output.stderr)")
        #expect(try await cloud.tasksCreated() == 3)
        #expect(!FileManager.default.fileExists(atPath: lock.path), "the lock is left")
    }

    @Test(
        "A lock left by a SIGKILLed apply stays behind, and the next apply on this host takes it over and succeeds",
        .timeLimit(.minutes(3)))
    func staleLockOfKilledRunIsTakenOver() async throws {
        var project = try PipelineProject.make(frames: 3)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project, runway: Self.heldDouble())
        let name = "stale-lock-test"
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, name: name))

        let victim = try project.startApply(tag: "killed")
        // Three frames, three lanes: with all three recorded, no submission is in flight when the kill comes.
        let working = await eventually(limit: .seconds(60)) {
            project.localRecords(pipeline: name).filter { $0.state == "submitted" }.count == 3
        }
        try #require(working, "the apply never submitted its three tasks: \(victim.finishIfExited())")
        #expect(victim.send(SIGKILL))
        try #require(await victim.waitForExit(limit: .seconds(30)))
        #expect(victim.wasKilled)

        let lock = project.stateFolder(name).appendingPathComponent("lock.json")
        let holder = (try? Data(contentsOf: lock)).flatMap {
            try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
        }
        #expect(
            (holder?["pid"] as? Int).map(Int32.init) == victim.pid,
            "the lock after SIGKILL: \(holder.map { "\($0)" } ?? "none")")

        try await Self.release(cloud)
        let next = try await project.apply(tag: "next")
        #expect(next.status == 0, "the next apply: exit \(next.status): \(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lock.path), "the lock is left")
        #expect(try await cloud.tasksCreated() == 3, "tasks paid again")
    }
}

extension StartedRunner {
    /// For failure messages: the output so far, and the exit status if it has exited.
    func finishIfExited() -> String {
        let err = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        return process.isRunning
            ? "still running; stderr: \(err)" : "exited \(process.terminationStatus); stderr: \(err)"
    }
}
