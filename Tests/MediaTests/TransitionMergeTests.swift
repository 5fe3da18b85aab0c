import Foundation
import Testing

@testable import Media

/// Clips for the transition tests, made with ffmpeg/libx264 as a generator's would be: B-frames, a keyframe every
/// half second, AAC sound (with its 1024 samples of priming), a size that is no multiple of 16.
final class JoinClips: Sendable {
    static let shared = JoinClips()
    private static let version = "v1"

    /// 318x178, 24 fps, 2 s (48 frames), keyframes every 12 frames, AAC tones of different pitch; different pictures.
    let moving: [String]
    /// `moving`, stored turned a quarter (a display matrix), the pictures as they were.
    let rotated: [String]
    /// 320x180, 2 s: the left half black and the right half white.
    let halves: String
    /// 320x180, 2 s, flat grey.
    let grey: String
    /// 160x90, 2 s, black with one white frame at 1 s and a beep at the same instant.
    let marked: [String]

    private init() {
        MediaLibraries.silenceLibraryLogs()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runner-join-test-clips-\(Self.version)"
        ).path
        func at(_ folder: String, _ name: String) -> String { folder + "/" + name }
        let names = (0..<4).map { "clip\($0).mp4" }
        moving = names.map { at(directory, $0) }
        rotated = names.map { at(directory, "turned-" + $0) }
        halves = at(directory, "halves.mp4")
        grey = at(directory, "grey.mp4")
        marked = (0..<4).map { at(directory, "marked\($0).mp4") }
        guard !FileManager.default.fileExists(atPath: directory + "/complete") else { return }
        do {
            let staging = directory + ".staging-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let x264 = [
                "-c:v", "libx264", "-preset", "veryfast", "-g", "12", "-keyint_min", "12", "-sc_threshold", "0",
                "-pix_fmt", "yuv420p",
            ]
            for (index, name) in names.enumerated() {
                let pattern = ["testsrc2", "testsrc", "rgbtestsrc", "smptehdbars"][index]
                try MarkedClip.ffmpeg(
                    [
                        "-f", "lavfi", "-i", "\(pattern)=s=318x178:r=24:d=2",
                        "-f", "lavfi", "-i", "sine=frequency=\(300 + 150 * index):sample_rate=48000:duration=2",
                    ] + x264 + ["-c:a", "aac", "-b:a", "96k", at(staging, name)])
                try MarkedClip.ffmpeg([
                    "-i", at(staging, name), "-c", "copy", "-metadata:s:v", "rotate=270", at(staging, "turned-" + name),
                ])
            }
            try MarkedClip.ffmpeg(
                [
                    "-f", "lavfi", "-i", "color=c=black:s=320x180:r=24:d=2", "-vf",
                    "drawbox=x=160:w=160:h=180:c=white:t=fill",
                ]
                    + x264 + [at(staging, "halves.mp4")])
            try MarkedClip.ffmpeg(
                ["-f", "lavfi", "-i", "color=c=gray:s=320x180:r=24:d=2"] + x264 + [at(staging, "grey.mp4")])
            for index in 0..<4 {
                try MarkedClip.flashAndBeep(at(staging, "marked\(index).mp4"), seconds: 2, flash: 1.0)
            }
            try Data().write(to: URL(fileURLWithPath: staging + "/complete"))
            if rename(staging, directory) != 0 { try? FileManager.default.removeItem(atPath: staging) }
        } catch {
            fatalError("could not make the transition test clips with ffmpeg: \(error)")
        }
    }
}

/// What ffmpeg decodes, frame by frame.
enum DecodedFrames {
    /// The MD5 of each decoded picture (`-f framemd5`), in display order, the pictures as stored (not turned).
    static func hashes(_ path: String) throws -> [String] {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-noautorotate", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The PSNR (dB, average of the planes) of each frame of `path` against the same frame of `reference`, both as
    /// shown (turned by their display matrices: a full re-encode turns its pictures upright).
    static func psnr(_ path: String, against reference: String) throws -> [Double] {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-i", reference,
            "-lavfi", "[0:v][1:v]psnr=stats_file=-", "-f", "null", "-",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        return result.output.split(separator: "\n").compactMap { line in
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("psnr_avg:") }) else { return nil }
            let value = field.dropFirst("psnr_avg:".count)
            return value == "inf" ? Double.infinity : Double(value)
        }
    }

    /// The mean luma (full range) of columns `columns` (fractions of the width) of frame `index`.
    static func meanLuma(_ path: String, frame index: Int, columns: ClosedRange<Double>) throws -> Double {
        let raw = path + ".gray"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try MarkedClip.ffmpeg([
            "-i", path, "-vf",
            "select=eq(n\\,\(index)),crop=iw*\(columns.upperBound - columns.lowerBound):ih:iw*\(columns.lowerBound):0",
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", raw,
        ])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        guard !bytes.isEmpty else { throw ToolFailure(message: "no frame \(index) in \(path)") }
        return Double(bytes.reduce(0) { $0 + Int($1) }) / Double(bytes.count)
    }

    /// The video stream's duration as ffprobe reads it from the container, seconds.
    static func videoDuration(_ path: String) throws -> Double {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=duration", "-of", "csv=p=0",
            path,
        ])
        // A rotated stream's side data follows on the same line: the duration is the first field.
        let first = result.output.split(whereSeparator: { $0 == "," || $0.isNewline }).first ?? ""
        return Double(first) ?? -1
    }
}

@Suite struct TransitionMergeTests {
    let clips = JoinClips.shared

    /// Checks a film made with transitions from `sources` (48 frames each) against its clips and against the same
    /// film fully re-encoded: frames outside the re-encoded spans are the clips' own pictures, bit for bit; frames
    /// inside are within 40 dB of the full re-encode; the film lasts the clips minus the overlaps, exactly.
    func checkAgainstSources(_ sources: [String], options: MergeOptions, overlaps: [Int]) throws {
        let folder = try TemporaryFolder()
        let film = folder.file("film.mp4")
        let report = try ClipMerger.merge(inputs: sources, output: film, options: options)
        #expect(report.mode == .copy, "\(report.reason)")
        #expect(report.reencodedSpans.count == overlaps.filter { $0 > 0 }.count)
        #expect(try Oracle.decodeErrors(film) == "")

        let frames = 48 * sources.count - overlaps.reduce(0, +)
        let filmHashes = try DecodedFrames.hashes(film)
        #expect(filmHashes.count == frames)
        #expect(abs(try DecodedFrames.videoDuration(film) - Double(frames) / 24) < 0.0005)
        #expect(abs(report.duration - Double(frames) / 24) < 1e-9)

        var starts = [0]
        for (index, overlap) in overlaps.enumerated() { starts.append(starts[index] + 48 - overlap) }
        let reencoded = report.reencodedSpans.map {
            Int(($0.start * 24).rounded())..<Int(($0.end * 24).rounded())
        }
        let sourceHashes = try sources.map { try DecodedFrames.hashes($0) }
        var copied = 0
        for frame in 0..<filmHashes.count where !reencoded.contains(where: { $0.contains(frame) }) {
            let clip = starts.lastIndex { $0 <= frame } ?? 0
            #expect(filmHashes[frame] == sourceHashes[clip][frame - starts[clip]], "film frame \(frame)")
            copied += 1
        }
        // Most of the film is copied: a merge that re-encoded everything could not pass.
        #expect(copied >= frames / 2)

        var full = options
        full.mode = .reencode
        let reference = folder.file("reencoded.mp4")
        let fullReport = try ClipMerger.merge(inputs: sources, output: reference, options: full)
        #expect(fullReport.mode == .reencode)
        let psnr = try DecodedFrames.psnr(film, against: reference)
        #expect(psnr.count == frames)
        for range in reencoded {
            for frame in range { #expect(psnr[frame] >= 40, "film frame \(frame): \(psnr[frame]) dB") }
        }
    }

    @Test func crossfadesReencodeOnlyAroundTheJoins() throws {
        let options = MergeOptions(quality: 1, transition: .crossfade(seconds: 0.5))
        try checkAgainstSources(clips.moving, options: options, overlaps: [12, 12, 12])
    }

    @Test func aRotatedFilmKeepsItsTurnAndItsPictures() throws {
        let options = MergeOptions(quality: 1, transition: Transition(.dipToBlack, seconds: 0.5))
        try checkAgainstSources(Array(clips.rotated.prefix(3)), options: options, overlaps: [12, 12])
        let folder = try TemporaryFolder()
        let film = folder.file("turned.mp4")
        _ = try ClipMerger.merge(
            inputs: Array(clips.rotated.prefix(2)), output: film,
            options: MergeOptions(transition: .crossfade(seconds: 0.5)))
        let side = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation",
            "-of", "csv=p=0", film,
        ])
        #expect(side.output.contains("90"))
    }

    @Test func aTransitionAtOneJoinLeavesTheOthersPlain() throws {
        let options = MergeOptions(quality: 1, joinTransitions: [1: Transition(.wipeLeft, seconds: 0.25)])
        try checkAgainstSources(Array(clips.moving.prefix(3)), options: options, overlaps: [0, 6])
    }

    @Test func soundStaysInStepWithThePictureAcrossTransitions() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("marked.mp4")
        let report = try ClipMerger.merge(
            inputs: clips.marked, output: film, options: MergeOptions(transition: .crossfade(seconds: 0.5)))
        #expect(report.mode == .copy && report.hasAudio)
        #expect(try Oracle.decodeErrors(film) == "")
        let measured = try SyncMeter.offsets(film, scratch: folder.file("pcm"))
        // Each clip starts 1.5 s after the last (2 s minus the 0.5 s overlap); its flash is 1 s in.
        #expect(measured.flashes.count == 4)
        for (index, flash) in measured.flashes.enumerated() {
            #expect(abs(flash - (1.0 + 1.5 * Double(index))) < 0.5 / 24, "flash \(index) at \(flash)")
        }
        #expect(measured.offsets.count == 4)
        let spread = (measured.offsets.max() ?? 0) - (measured.offsets.min() ?? 0)
        #expect(spread < 0.003, "offsets \(measured.offsets)")
    }

    /// The middle picture of an 11-frame transition from the black|white clip to the grey one (progress one half).
    func middle(_ kind: Transition.Kind) throws -> (left: Double, right: Double) {
        let folder = try TemporaryFolder()
        let film = folder.file("\(kind.rawValue).mp4")
        let report = try ClipMerger.merge(
            inputs: [clips.halves, clips.grey], output: film,
            options: MergeOptions(transition: Transition(kind, seconds: 11.0 / 24)))
        #expect(report.mode == .copy)
        #expect(try Oracle.decodeErrors(film) == "")
        let frame = 48 - 11 + 5
        return (
            try DecodedFrames.meanLuma(film, frame: frame, columns: 0.05...0.2),
            try DecodedFrames.meanLuma(film, frame: frame, columns: 0.8...0.95)
        )
    }

    @Test func eachTransitionDrawsWhatItsNameSays() throws {
        // Levels as `-pix_fmt gray` gives them (full range).
        let black = 0.0
        let white = 255.0
        let grey = 128.0
        func near(_ value: Double, _ target: Double) -> Bool { abs(value - target) < 12 }
        let crossfade = try middle(.crossfade)
        #expect(near(crossfade.left, (black + grey) / 2) && near(crossfade.right, (white + grey) / 2))
        let dip = try middle(.dipToBlack)
        #expect(near(dip.left, black) && near(dip.right, black))
        // Wipes uncover the grey clip, the earlier clip's halves staying where they were.
        let wipeLeft = try middle(.wipeLeft)
        #expect(near(wipeLeft.left, black) && near(wipeLeft.right, grey))
        let wipeRight = try middle(.wipeRight)
        #expect(near(wipeRight.left, grey) && near(wipeRight.right, white))
        // Slides push the earlier clip: its white half has moved to the left, or its black half to the right.
        let slideLeft = try middle(.slideLeft)
        #expect(near(slideLeft.left, white) && near(slideLeft.right, grey))
        let slideRight = try middle(.slideRight)
        #expect(near(slideRight.left, grey) && near(slideRight.right, black))
    }

    @Test func clipsThatCannotShareParametersAreReencodedWithTheReason() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("mixed.mp4")
        let other = Fixtures.shared.larger  // 480x360
        var options = MergeOptions(transition: .crossfade(seconds: 0.25))
        options.preset = "ultrafast"
        let report = try ClipMerger.merge(inputs: [clips.moving[0], other], output: film, options: options)
        #expect(report.mode == .reencode)
        #expect(report.reason.contains("re-encoding the whole film"))
        #expect(report.reason.contains("differs from the first: its video size is 480x360"))
        #expect(try Oracle.decodeErrors(film) == "")
        options.mode = .copy
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: [clips.moving[0], other], output: folder.file("copy.mp4"), options: options)
        }
    }

    @Test func chaptersStartWhereEachClipBeginsToShow() throws {
        let folder = try TemporaryFolder()
        let film = folder.file("chapters.mp4")
        let report = try ClipMerger.merge(
            inputs: Array(clips.moving.prefix(3)), output: film,
            options: MergeOptions(transition: Transition(.slideLeft, seconds: 0.5)),
            titles: ["one.png", "two.png", "three.png"])
        #expect(report.mode == .copy)
        let chapters = try FilmChapters.read(path: film)
        #expect(chapters.map(\.title) == ["one.png", "two.png", "three.png"])
        // 2 s clips overlapping 0.5 s: each starts 1.5 s after the one before.
        for (chapter, start) in zip(chapters, [0.0, 1.5, 3.0]) { #expect(abs(chapter.start - start) < 0.001) }
        #expect(abs((chapters.last?.end ?? 0) - 5.0) < 0.001)
    }

    @Test func aTransitionLongerThanAClipIsRefusedNamingTheClip() throws {
        let folder = try TemporaryFolder()
        do {
            _ = try ClipMerger.merge(
                inputs: Array(clips.moving.prefix(3)), output: folder.file("long.mp4"),
                options: MergeOptions(transition: .crossfade(seconds: 1.5)))
            Issue.record("a 1.5 s transition on both sides of a 2 s clip was accepted")
        } catch {
            #expect("\(error)".contains("transitions before and after clip 2"))
        }
        #expect(folder.contents().isEmpty)
    }
}

@Suite struct JoinLayoutTests {
    @Test func decodesFromTheKeyframeBeforeEachOverlapToTheKeyframeAfterIt() throws {
        let options = MergeOptions(transition: .crossfade(seconds: 0.5))
        let layout = try JoinLayout(frameCounts: [48, 48, 48], fps: 24, options: options, paths: ["a", "b", "c"])
        #expect(layout.overlaps == [12, 12])
        #expect(layout.starts == [0, 36, 72])
        #expect(layout.filmFrames == 120)
        let groups = [0, 12, 24, 36]
        let parts = layout.parts(groupStarts: [groups, groups, groups])
        #expect(parts[0] == JoinLayout.ClipParts(headEnd: 0, tailStart: 36))
        #expect(parts[1] == JoinLayout.ClipParts(headEnd: 12, tailStart: 36))
        #expect(parts[2] == JoinLayout.ClipParts(headEnd: 12, tailStart: 48))
        #expect(layout.reencodedFrames(parts) == [36..<48, 72..<84])
        // Keyframes every 20 frames: the groups around a 10-frame overlap are decoded whole.
        let sparse = try JoinLayout(
            frameCounts: [48, 48], fps: 24, options: MergeOptions(transition: .crossfade(seconds: 10.0 / 24)),
            paths: ["a", "b"])
        let wide = sparse.parts(groupStarts: [[0, 20, 40], [0, 20, 40]])
        #expect(wide == [.init(headEnd: 0, tailStart: 20), .init(headEnd: 20, tailStart: 48)])
        #expect(sparse.reencodedFrames(wide) == [20..<58])
    }

    @Test func aClipWithNoGroupBetweenItsTransitionsIsDecodedWhole() throws {
        let layout = try JoinLayout(
            frameCounts: [48, 30, 48], fps: 24, options: MergeOptions(transition: .crossfade(seconds: 0.5)),
            paths: ["a", "b", "c"])
        let parts = layout.parts(groupStarts: [[0, 24], [0, 24], [0, 24]])
        #expect(parts[1] == JoinLayout.ClipParts(headEnd: 30, tailStart: 30))
        #expect(layout.reencodedFrames(parts) == [24..<78])
    }

    @Test func perJoinTransitionsOverrideTheStageWideOne() throws {
        let options = MergeOptions(
            transition: .crossfade(seconds: 0.5), joinTransitions: [1: Transition(.wipeRight, seconds: 0.25)])
        let layout = try JoinLayout(frameCounts: [48, 48, 48], fps: 24, options: options, paths: ["a", "b", "c"])
        #expect(layout.overlaps == [12, 6])
        #expect(layout.kinds == [.crossfade, .wipeRight])
    }

    @Test func refusesATransitionLongerThanAClipCanGive() {
        #expect(throws: MediaError.self) {
            try JoinLayout(
                frameCounts: [48, 20, 48], fps: 24, options: MergeOptions(transition: .crossfade(seconds: 0.5)),
                paths: ["a", "b", "c"])
        }
    }
}

@Suite struct AVCConfigurationTests {
    @Test func readsAndWritesAClipsRecordAndItsParameterSetIDs() throws {
        let input = try InputFile(path: JoinClips.shared.moving[0], probing: .whenNeeded)
        let signature = try ClipSignature(input)
        let record = try #require(AVCConfiguration(signature.video.extradata))
        #expect(record.bytes == signature.video.extradata)
        #expect(record.lengthSize == 4)
        #expect(record.sequenceParameterSets.count == 1 && record.pictureParameterSets.count == 1)
        #expect(record.usedIDs == [0])
        #expect(AVCConfiguration([0, 0, 0, 1, 0x67]) == nil)
    }

    @Test func readsExpGolombIDsPastTheHeader() {
        // A PPS with pic_parameter_set_id 3 (ue 00100) and a seq_parameter_set_id 1 (010).
        #expect(H264Units.parameterSetID([0x68, 0b0010_0010, 0x80]) == 3)
        #expect(H264Units.annexB([0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3]) == [[0x67, 1, 2], [0x68, 3]])
    }
}
