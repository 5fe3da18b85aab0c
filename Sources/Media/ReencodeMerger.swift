import CFFmpeg

/// Joins clips of any size and rate by decoding them, fitting every picture to one size, converting the
/// frame rate, and encoding H.264/AAC in MP4 or VP9/Opus in WebM.
struct ReencodeMerger {
    let clips: [MediaInfo]
    let output: String
    let options: MergeOptions
    /// Empty, or each clip's source frame name: the film's chapters.
    let titles: [String]
    let shouldStop: (@Sendable () -> Bool)?
    let progress: (@Sendable (MergeProgress) -> Void)?

    func run(reason: String) throws(MediaError) -> MergeReport {
        guard let firstVideo = clips.first?.video, var firstWidth = firstVideo.width,
            var firstHeight = firstVideo.height
        else {
            throw .noVideoStream(path: clips.first?.path ?? output)
        }
        // The film takes the first clip's size as it is shown: turned upright, pixels made square.
        if let shown = firstVideo.geometry { (firstWidth, firstHeight) = (shown.displayWidth, shown.displayHeight) }
        let size = options.size ?? FrameSize(width: max(2, firstWidth / 2 * 2), height: max(2, firstHeight / 2 * 2))
        let frameRate =
            Self.rational(options.fps) ?? Self.rational(firstVideo.frameRateFraction) ?? AVRational(num: 24, den: 1)
        let fps = av_q2d(frameRate)
        // Each clip lasts its shown video span (what an edit list hides is not counted).
        let frameCounts = clips.map { clip in
            let seconds =
                clip.timeline?.videoDuration ?? (clip.video?.duration).flatMap { $0 > 0 ? $0 : nil } ?? clip.duration
            return max(1, Int((seconds * fps).rounded()))
        }
        let overlap = try crossfadeFrames(fps: fps, frameCounts: frameCounts)

        let out = try OutputFile(path: output, format: options.format.rawValue)
        let videoEncoder = try VideoEncoder(
            output: out, format: options.format, width: size.width, height: size.height,
            frameRate: frameRate, crf: options.format == .mp4 ? options.x264CRF : options.vp9CRF,
            preset: options.preset, threads: 0)
        let video = VideoTimeline(encoder: videoEncoder, overlap: overlap)
        var audio: AudioTimeline?
        var sampleRate = 0
        if let firstAudio = clips.first(where: \.hasAudio)?.audio {
            sampleRate = options.format == .webm ? 48000 : (firstAudio.sampleRate ?? 48000)
            let encoder = try AudioEncoder(
                output: out, format: options.format, channels: min(2, max(1, firstAudio.channels ?? 2)),
                rate: sampleRate)
            audio = AudioTimeline(
                encoder: encoder, overlap: Int((Double(overlap) / fps * Double(sampleRate)).rounded()))
        }
        try out.writeHeader(faststart: options.format == .mp4)

        let fitter = FrameFitter(width: size.width, height: size.height)
        var framesBefore = 0
        var chapters: [FilmChapter] = []
        for (index, clip) in clips.enumerated() {
            let hasNext = index + 1 < clips.count
            video.beginClip(frames: frameCounts[index], hasNext: hasNext)
            // Audio length follows the video's, counted cumulatively so rounding never drifts.
            let samplesBefore = Int((Double(framesBefore) / fps * Double(sampleRate)).rounded())
            let samplesAfter = Int((Double(framesBefore + frameCounts[index]) / fps * Double(sampleRate)).rounded())
            audio?.beginClip(samples: samplesAfter - samplesBefore, hasNext: hasNext)
            try ClipTranscoder(
                path: clip.path, frames: frameCounts[index], fps: fps, fitter: fitter,
                geometry: clip.video?.geometry, timeline: clip.timeline, video: video, audio: audio
            )
            .run(output: output, shouldStop: shouldStop)
            try audio?.endClip()
            if titles.indices.contains(index) {
                // A clip is seen from where it starts to fade in: each join overlaps the clips by `overlap` frames.
                let start = framesBefore - index * overlap
                chapters.append(
                    FilmChapter(
                        title: titles[index], start: Double(start) / fps,
                        end: Double(start + frameCounts[index]) / fps))
            }
            framesBefore += frameCounts[index]
            progress?(
                MergeProgress(clipsDone: index + 1, clipCount: clips.count, secondsWritten: Double(video.written) / fps)
            )
        }
        try video.finish()
        try audio?.finish()
        if !chapters.isEmpty, chapters.count == clips.count { try out.setChapters(chapters) }
        try out.finish()
        return MergeReport(
            mode: .reencode, reason: reason, output: output, clipCount: clips.count,
            duration: Double(video.written) / fps, hasAudio: audio != nil, timestampAdjustments: 0)
    }

    /// Frames each join overlaps; throws when the crossfade is longer than a clip can give.
    private func crossfadeFrames(fps: Double, frameCounts: [Int]) throws(MediaError) -> Int {
        guard case .crossfade(let seconds)? = options.transition, clips.count > 1 else { return 0 }
        let overlap = max(1, Int((seconds * fps).rounded()))
        for (index, count) in frameCounts.enumerated() {
            let needed = (index == 0 || index == frameCounts.count - 1) ? overlap : 2 * overlap
            if count < needed {
                throw .invalidOption(
                    "A crossfade of \(seconds) s is too long for clip \(index + 1) '\(clips[index].path)' (\(String(format: "%.2f", Double(count) / fps)) s): use a shorter transition."
                )
            }
        }
        return overlap
    }

    static func rational(_ value: Double?) -> AVRational? {
        guard let value, value > 0 else { return nil }
        return av_d2q(value, 100_000)
    }

    static func rational(_ fraction: String?) -> AVRational? {
        guard let parts = fraction?.split(separator: "/").compactMap({ Int32($0) }), parts.count == 2, parts[0] > 0,
            parts[1] > 0
        else { return nil }
        return AVRational(num: parts[0], den: parts[1])
    }
}
