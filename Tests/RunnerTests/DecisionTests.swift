import Foundation
import Manifest
import Stages
import Testing

@testable import Runner

/// How an item's key and records decide what apply does with it.
struct DecisionTests {
    /// Where the runner puts the item's output.
    static let ownOutput = Location.local(path: "/project/out/clips/frame_01-0123abcd.mp4")

    static func key(prompt: String = "Slow push-in", frame: String = "sha256:aa") throws -> ContentKey {
        try ContentKey(kind: "clip-v1", inputs: ["frame": frame, "model": "gen4_turbo", "prompt": prompt, "seed": "7"])
    }

    static func record(
        _ key: ContentKey, _ state: CheckpointRecord.State, item: String = "frame_01.png",
        updated: Date = Date(timeIntervalSince1970: 1000)
    ) -> CheckpointRecord {
        var record = CheckpointRecord(
            pipeline: "p", stage: "clips", key: key.hex, item: item, state: state, inputs: key.inputs,
            updated: updated)
        switch state {
        case .succeeded: record.output = Artifact(name: item, location: ownOutput, size: 10, digest: .sha256("cc"))
        case .submitted: record.taskID = "task-1"
        case .failed: record.failure = .init(reason: "SAFETY.INPUT.TEXT", retryable: false)
        }
        return record
    }

    @Test func keysAreStableAndChangeWithAnyInput() throws {
        #expect(try Self.key() == (try Self.key()))
        #expect(try Self.key().hex.count == 64)
        #expect(try Self.key(prompt: "Other").hex != (try Self.key()).hex)
        #expect(try Self.key(frame: "sha256:ab").hex != (try Self.key()).hex)
        // Values that would run together in a naive concatenation stay apart.
        let split = try ContentKey(kind: "k", inputs: ["a": "b\n\"c\"=d"])
        let joined = try ContentKey(kind: "k", inputs: ["a": "b", "c": "d"])
        #expect(split.hex != joined.hex)
    }

    @Test func aSucceededRecordWithItsOutputIsCachedAndWithoutItRunsAgain() throws {
        let key = try Self.key()
        let decider = Decider(records: [key.hex: Self.record(key, .succeeded)], retryFailed: false)
        guard
            case .cached = decider.decide(
                key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .matches })
        else {
            Issue.record("expected cached")
            return
        }
        guard
            case .run(let reason) = decider.decide(
                key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .missing })
        else {
            Issue.record("expected run")
            return
        }
        #expect(reason?.contains("is gone") == true)
    }

    @Test func aSubmittedRecordIsResumedNotPaidAgain() throws {
        let key = try Self.key()
        let decider = Decider(records: [key.hex: Self.record(key, .submitted)], retryFailed: false)
        guard
            case .resume(let taskID, _) = decider.decide(
                key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .missing })
        else {
            Issue.record("expected resume")
            return
        }
        #expect(taskID == "task-1")
    }

    @Test func aFinalFailureIsNotRetriedUnlessAskedAndARetryableOneIs() throws {
        let key = try Self.key()
        var final = Self.record(key, .failed)
        guard
            case .failedBefore = Decider(records: [key.hex: final], retryFailed: false)
                .decide(key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .missing })
        else {
            Issue.record("expected failedBefore")
            return
        }
        guard
            case .run = Decider(records: [key.hex: final], retryFailed: true)
                .decide(key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .missing })
        else {
            Issue.record("expected run with --retry-failed")
            return
        }
        final.failure?.retryable = true
        guard
            case .run = Decider(records: [key.hex: final], retryFailed: false)
                .decide(key: key, item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .missing })
        else {
            Issue.record("expected a retryable failure to run again")
            return
        }
    }

    @Test func aNewKeySaysWhichInputsChangedSinceTheItemsLatestRecord() throws {
        let old = try Self.key(prompt: "Old", frame: "sha256:00")
        let older = try Self.key(prompt: "Oldest")
        let records = [
            old.hex: Self.record(old, .succeeded, updated: Date(timeIntervalSince1970: 2000)),
            older.hex: Self.record(older, .succeeded, updated: Date(timeIntervalSince1970: 1000)),
        ]
        let decider = Decider(records: records, retryFailed: false)
        guard
            case .run(let reason) = decider.decide(
                key: try Self.key(), item: "frame_01.png", expectedOutput: Self.ownOutput, check: { _ in .matches })
        else {
            Issue.record("expected run")
            return
        }
        #expect(reason == "frame, prompt changed")
        guard
            case .run(let fresh) = decider.decide(
                key: try Self.key(), item: "frame_09.png", expectedOutput: Self.ownOutput, check: { _ in .matches })
        else {
            Issue.record("expected run")
            return
        }
        #expect(fresh == nil)
    }

    @Test func recordsRoundTripWithMillisecondDates() throws {
        let record = Self.record(try Self.key(), .succeeded, updated: Date(timeIntervalSince1970: 1000.123))
        let data = try StoredDates.recordEncoder.encode(record)
        let decoded = try StoredDates.recordDecoder.decode(CheckpointRecord.self, from: data)
        #expect(decoded == record)
        #expect(String(decoding: data, as: UTF8.self).contains("\"location\" : \"/project/out/clips/"))
    }

    @Test func aRecordWhoseOutputIsNotTheRunnersOwnLocationIsNotBelieved() throws {
        let key = try Self.key()
        var forged = Self.record(key, .succeeded)
        forged.output?.location = .local(path: "/etc/hostname")
        let decider = Decider(records: [key.hex: forged], retryFailed: false)
        var checked: [String] = []
        let decision = decider.decide(key: key, item: "frame_01.png", expectedOutput: Self.ownOutput) { output in
            checked.append(output.location.description)
            return .matches
        }
        guard case .run(let reason) = decision else {
            Issue.record("a record pointing at /etc/hostname was believed: \(decision)")
            return
        }
        #expect(checked.isEmpty, "the forged location was looked at")
        #expect(reason?.contains("/etc/hostname") == false, "the forged location is printed: \(reason ?? "")")
        #expect(reason?.contains("other than the runner's own location") == true)
    }

    @Test func anOutputThatDiffersFromItsRecordRunsAgainWithTheDifference() throws {
        let key = try Self.key()
        let decider = Decider(records: [key.hex: Self.record(key, .succeeded)], retryFailed: false)
        let decision = decider.decide(key: key, item: "frame_01.png", expectedOutput: Self.ownOutput) { _ in
            .differs("does not have the SHA-256 its record gives")
        }
        guard case .run(let reason) = decision else {
            Issue.record("a changed output was believed: \(decision)")
            return
        }
        #expect(reason == "its output \(Self.ownOutput) does not have the SHA-256 its record gives")
    }
}
