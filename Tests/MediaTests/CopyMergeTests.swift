import Foundation
import Synchronization
import Testing

@testable import Media

@Suite struct CopyMergeTests {
    let fixtures = Fixtures.shared

    @Test func threeClipsWithAudioAreRemuxedWithMonotonicTimestampsAndMoovFirst() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("merged.mp4")
        let report = try ClipMerger.merge(
            inputs: fixtures.withAudio, output: output, options: MergeOptions(mode: .copy))
        #expect(report.mode == .copy)
        let oracle = try Oracle(output)
        let expected = try fixtures.withAudio.map { try Oracle($0).duration }.reduce(0, +)
        #expect(abs(oracle.duration - expected) <= 3.0 / 24)
        #expect(oracle.streams.map(\.type).sorted() == ["audio", "video"])
        #expect(oracle.video?.width == 320 && oracle.video?.height == 240)
        #expect(oracle.video?.frames == 72)
        #expect(oracle.video?.frameRate == "24/1")
        #expect(try Oracle.decodeErrors(output) == "")
        #expect(try Oracle.moovFirst(output))
        #expect(folder.contents() == ["merged.mp4"])
    }

    /// The decode timestamps of a stream, as ffprobe reads them.
    func timestamps(_ path: String, stream: String) throws -> [Int] {
        try runTool([
            "ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=dts", "-of", "csv=p=0", path,
        ])
        .output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test func clipsWithBFramesJoinWithStrictlyRisingTimestamps() throws {
        let folder = try TemporaryFolder()
        let clips = try (1...3).map { index in
            let path = folder.file("b\(index).mp4")
            try ClipMaker.clip(path, extra: ["-preset", "medium", "-bf", "3"])
            return path
        }
        let output = folder.file("merged.mp4")
        let report = try ClipMerger.merge(inputs: clips, output: output, options: MergeOptions(mode: .copy))
        #expect(report.mode == .copy)
        let oracle = try Oracle(output)
        #expect(oracle.video?.frames == 72)
        let expected = try clips.map { try Oracle($0).duration }.reduce(0, +)
        #expect(abs(oracle.duration - expected) <= 3.0 / 24)
        for stream in ["v:0", "a:0"] {
            let dts = try timestamps(output, stream: stream)
            #expect(dts.count > 10)
            #expect(zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 }, "DTS of \(stream) must rise strictly")
        }
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func clipsWithoutAudioGiveVideoOnly() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("merged.mp4")
        _ = try ClipMerger.merge(
            inputs: fixtures.silent + fixtures.silent, output: output, options: MergeOptions(mode: .copy))
        let oracle = try Oracle(output)
        #expect(oracle.streams.map(\.type) == ["video"])
        #expect(oracle.video?.frames == 96)
        #expect(abs(oracle.duration - 4.0) <= 4.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func differentSizeIsRefusedNamingTheClipAndLeavesNoFile() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("merged.mp4")
        let inputs = [fixtures.withAudio[0], fixtures.withAudio[1], fixtures.larger]
        #expect(
            throws: MediaError.incompatibleClip(
                index: 2, path: fixtures.larger, parameter: "video size",
                found: "480x360", expected: "320x240")
        ) {
            try ClipMerger.merge(inputs: inputs, output: output, options: MergeOptions(mode: .copy))
        }
        #expect(folder.contents().isEmpty)
        let message = MediaError.incompatibleClip(
            index: 2, path: fixtures.larger, parameter: "video size", found: "480x360", expected: "320x240"
        ).description
        #expect(message.contains("clip 3") && message.contains(fixtures.larger) && message.contains("video size"))
    }

    @Test func clipsWithAndWithoutAudioAreRefusedInCopyMode() throws {
        let folder = try TemporaryFolder()
        #expect(
            throws: MediaError.incompatibleClip(
                index: 1, path: fixtures.silent[0], parameter: "audio", found: "absent", expected: "present")
        ) {
            try ClipMerger.merge(
                inputs: [fixtures.withAudio[0], fixtures.silent[0]], output: folder.file("o.mp4"),
                options: MergeOptions(mode: .copy))
        }
        #expect(folder.contents().isEmpty)
    }

    @Test func differentFrameRateIsRefusedNamingIt() throws {
        let folder = try TemporaryFolder()
        let faster = folder.file("30fps.mp4")
        try ClipMaker.clip(faster, fps: 30)
        #expect(
            throws: MediaError.incompatibleClip(
                index: 1, path: faster, parameter: "frame rate", found: "30 fps", expected: "24 fps")
        ) {
            try ClipMerger.merge(
                inputs: [fixtures.withAudio[0], faster], output: folder.file("o.mp4"),
                options: MergeOptions(mode: .copy))
        }
    }

    @Test func differentCodecSetupIsRefusedByExtradata() throws {
        let folder = try TemporaryFolder()
        // Same codec, size and rate, but another H.264 level: only the SPS in the extradata differs.
        let other = folder.file("level.mp4")
        try ClipMaker.clip(other, extra: ["-level", "4.1"])
        do {
            _ = try ClipMerger.merge(
                inputs: [fixtures.withAudio[0], other], output: folder.file("o.mp4"), options: MergeOptions(mode: .copy)
            )
            Issue.record("copied clips with different SPS")
        } catch {
            guard case .incompatibleClip(let index, let path, let parameter, _, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(index == 1 && path == other)
            #expect(parameter.contains("extradata"))
        }
        #expect(folder.contents() == ["level.mp4"])
    }

    @Test func zeroClipsIsRefused() throws {
        let folder = try TemporaryFolder()
        #expect(throws: MediaError.noClips) { try ClipMerger.merge(inputs: [], output: folder.file("o.mp4")) }
    }

    @Test func missingOrDamagedClipFailsAndLeavesNoOutput() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("o.mp4")
        let missing = folder.file("gone.mp4")
        #expect(throws: MediaError.fileNotFound(path: missing)) {
            try ClipMerger.merge(inputs: [fixtures.withAudio[0], missing], output: output)
        }
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: [fixtures.withAudio[0], fixtures.textFile], output: output)
        }
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: [fixtures.withAudio[0], fixtures.halfFaststart], output: output)
        }
        #expect(folder.contents().isEmpty)
    }

    @Test func autoModeCopiesMatchingClipsAndSaysWhy() throws {
        let folder = try TemporaryFolder()
        let report = try ClipMerger.merge(inputs: fixtures.withAudio, output: folder.file("o.mp4"))
        #expect(report.mode == .copy)
        #expect(report.reason.contains("share codec parameters"))
    }

    @Test func singleClipIsCopiedWithFaststart() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("one.mp4")
        let report = try ClipMerger.merge(inputs: [fixtures.withAudio[0]], output: output)
        #expect(report.mode == .copy)
        #expect(try Oracle.moovFirst(output))
        #expect(!(try Oracle.moovFirst(fixtures.withAudio[0])))
        let oracle = try Oracle(output)
        #expect(oracle.video?.frames == 24)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func progressIsReportedPerClip() throws {
        let folder = try TemporaryFolder()
        let seen = ProgressLog()
        _ = try ClipMerger.merge(
            inputs: fixtures.withAudio, output: folder.file("o.mp4"), options: MergeOptions(mode: .copy)
        ) { seen.add($0.clipsDone) }
        #expect(seen.values == [1, 2, 3])
    }
}

/// Collects progress callbacks (they arrive on the calling thread; the lock satisfies Sendable).
final class ProgressLog: Sendable {
    private let storage = Mutex<[Int]>([])
    func add(_ value: Int) { storage.withLock { $0.append(value) } }
    var values: [Int] { storage.withLock { $0 } }
}
