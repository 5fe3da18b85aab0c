import Foundation
import Testing

@testable import Media

/// Sound stays with the picture across joins, in every mode: each clip occupies exactly its shown video,
/// its audio starts where its video starts (priming and padding accounted for), audio running past the
/// picture is cut. Measured in the output as a player plays it (flash frames against beep onsets).
@Suite struct TimelineMergeTests {
    /// Two marked clips of 2 s: audio ending with the video, and audio running 0.25 s past it.
    struct Clips {
        let folder: TemporaryFolder
        let exact: String, overrunning: String
        init(audioCodec: String = "aac") throws {
            folder = try TemporaryFolder()
            exact = folder.file("exact.mp4")
            overrunning = folder.file("overrun.mp4")
            try MarkedClip.flashAndBeep(exact, audioCodec: audioCodec)
            try MarkedClip.flashAndBeep(overrunning, audioSeconds: 2.25, audioCodec: audioCodec)
        }
        /// 21 clips (20 joins), alternating the two.
        var film: [String] { (0..<21).map { $0 % 2 == 0 ? exact : overrunning } }
    }

    func fast(_ mode: MergeMode) -> MergeOptions {
        var options = MergeOptions(mode: mode)
        options.preset = "ultrafast"
        return options
    }

    /// Checks the film of `clips.film`: 42 s, 21 flashes and beeps, each join's offset within one audio
    /// frame of the first clip's, 1008 frames, a clean decode.
    func expectInSync(_ output: String, clips: Clips, frameSamples: Int) throws {
        let measured = try SyncMeter.offsets(output, scratch: clips.folder.file("scratch"))
        #expect(measured.flashes.count == 21, "flashes at \(measured.flashes)")
        #expect(measured.beeps.count == 21, "beeps at \(measured.beeps)")
        let tolerance = Double(frameSamples) / 48000
        let first = measured.offsets.first ?? 0
        for (join, offset) in measured.offsets.enumerated() {
            #expect(
                abs(offset - first) <= tolerance,
                "clip \(join + 1): sound \(String(format: "%.1f", offset * 1000)) ms after the flash, the first clip's \(String(format: "%.1f", first * 1000)) ms"
            )
        }
        // Each flash lies where its clip starts plus 0.5 s: no clip was lengthened by audio or hidden frames.
        for (index, flash) in measured.flashes.enumerated() {
            #expect(abs(flash - (Double(index) * 2 + 0.5)) <= 1.0 / 24, "flash \(index + 1) at \(flash) s")
        }
        let oracle = try Oracle(output)
        #expect(oracle.video?.frames == 21 * 48)
        #expect(abs(oracle.duration - 42) <= 2.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test(arguments: [MergeMode.copy, .auto, .reencode])
    func twentyJoinsStayWithinOneAudioFrameOfTheFirstClipsOffset(mode: MergeMode) throws {
        let clips = try Clips()
        let output = clips.folder.file("film-\(mode.rawValue).mp4")
        let report = try ClipMerger.merge(inputs: clips.film, output: output, options: fast(mode))
        #expect(report.mode == (mode == .reencode ? .reencode : .copy))
        #expect(abs(report.duration - 42) < 0.001)
        try expectInSync(output, clips: clips, frameSamples: 1024)
    }

    @Test func opusClipsCopyInSyncToo() throws {
        let clips = try Clips(audioCodec: "libopus")
        let output = clips.folder.file("film.mp4")
        let report = try ClipMerger.merge(inputs: clips.film, output: output, options: MergeOptions(mode: .copy))
        #expect(report.mode == .copy)
        try expectInSync(output, clips: clips, frameSamples: 960)
    }

    @Test func audioStoppingShortIsNotCopiedAndAutoSaysWhy() throws {
        let clips = try Clips()
        let short = clips.folder.file("short.mp4")
        try MarkedClip.flashAndBeep(short, audioSeconds: 1.5)
        let output = clips.folder.file("film.mp4")
        do {
            _ = try ClipMerger.merge(
                inputs: [clips.exact, short, clips.exact], output: output, options: MergeOptions(mode: .copy))
            Issue.record("copied a clip whose audio stops 0.5 s early")
        } catch {
            guard case .notCopyable(let index, let path, let reason) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(index == 1 && path == short)
            #expect(reason.contains("audio ends 0.5"))
        }
        let report = try ClipMerger.merge(
            inputs: [clips.exact, short, clips.exact], output: output, options: fast(.auto))
        #expect(report.mode == .reencode)
        #expect(report.reason.contains("clip 2") && report.reason.contains("audio ends"))
        let measured = try SyncMeter.offsets(output, scratch: clips.folder.file("scratch"))
        #expect(measured.offsets.count == 3)
        #expect(measured.offsets.allSatisfy { abs($0 - measured.offsets[0]) <= 1024.0 / 48000 })
        #expect(abs(try Oracle(output).duration - 6) <= 2.0 / 24)
    }

    @Test func probeShowsPrimingPaddingAndOverrun() throws {
        let clips = try Clips()
        let exact = try #require(try MediaProbe.probe(path: clips.exact).timeline)
        #expect(exact.videoStart == 0 && exact.videoDuration == 2)
        #expect(exact.hiddenFramesBefore == 0 && exact.hiddenFramesAfter == 0)
        let audio = try #require(exact.audio)
        #expect(audio.sampleRate == 48000 && audio.frameSamples == 1024)
        #expect(audio.primingSamples == 1024)  // the AAC encoder's delay, hidden by the clip's edit list
        #expect(audio.paddingSamples == 256)  // 96000 samples shown in 94 frames of 1024
        #expect(audio.startOffset == 0 && audio.duration == 2)
        #expect(abs(audio.overrun(videoDuration: exact.videoDuration)) < 0.0001)
        let overrunning = try #require(try MediaProbe.probe(path: clips.overrunning).timeline)
        #expect(abs((overrunning.audio?.overrun(videoDuration: overrunning.videoDuration) ?? 0) - 0.25) < 0.001)
    }

    @Test func silentClipsAmongSoundingOnesStayInSync() throws {
        let clips = try Clips()
        let silent = clips.folder.file("silent.mp4")
        try MarkedClip.ffmpeg(["-i", clips.exact, "-an", "-c", "copy", silent])
        let output = clips.folder.file("film.mp4")
        let report = try ClipMerger.merge(
            inputs: [clips.exact, silent, clips.overrunning, clips.exact], output: output, options: fast(.auto))
        #expect(report.mode == .reencode)
        let flashes = try SyncMeter.flashes(output)
        let beeps = try SyncMeter.beeps(output, scratch: clips.folder.file("scratch"))
        #expect(flashes.count == 4)
        #expect(beeps.count == 3)
        // The silent clip's 2 s stay silent; the sounding clips keep their offset.
        let offsets = [beeps[0] - flashes[0], beeps[1] - flashes[2], beeps[2] - flashes[3]]
        #expect(offsets.allSatisfy { abs($0 - offsets[0]) <= 1024.0 / 48000 }, "offsets \(offsets)")
    }

    @Test func variableFrameRateAndMixedTimeBasesKeepTheirPlacesInCopy() throws {
        let clips = try Clips()
        // The same clip stored with a 90 kHz video time base (instead of 12288), and a variable-rate clip
        // (frames 3-8 and 30-40 dropped, the rest keep their times).
        let otherBase = clips.folder.file("90k.mp4")
        let variable = clips.folder.file("vfr.mp4")
        try MarkedClip.ffmpeg(["-i", clips.exact, "-c", "copy", "-video_track_timescale", "90000", otherBase])
        try MarkedClip.flashAndBeep(
            variable,
            extra: [
                "-vf",
                "drawbox=w=iw:h=ih:c=white:t=fill:enable='between(t,0.49,0.52)',select='not(between(n\\,3\\,8)+between(n\\,30\\,40))'",
                "-fps_mode", "vfr",
            ])
        for inputs in [[clips.exact, otherBase, clips.exact, otherBase], [variable, variable, variable, variable]] {
            let output = clips.folder.file("film.mp4")
            let report = try ClipMerger.merge(inputs: inputs, output: output, options: MergeOptions(mode: .auto))
            #expect(report.mode == .copy)
            let measured = try SyncMeter.offsets(output, scratch: clips.folder.file("scratch"))
            #expect(measured.flashes.count == 4 && measured.beeps.count == 4)
            for (index, flash) in measured.flashes.enumerated() {
                #expect(abs(flash - (Double(index) * 2 + 0.5)) <= 1.0 / 24, "flash \(index + 1) at \(flash) s")
            }
            #expect(
                measured.offsets.allSatisfy { abs($0 - measured.offsets[0]) <= 1024.0 / 48000 },
                "offsets \(measured.offsets)")
            #expect(try Oracle.decodeErrors(output) == "")
        }
    }
}
