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
        let layout = try JoinLayout(frameCounts: frameCounts, fps: fps, options: options, paths: clips.map(\.path))

        let out = try OutputFile(path: output, format: options.format.rawValue)
        let videoEncoder = try VideoEncoder(
            output: out, format: options.format, width: size.width, height: size.height,
            frameRate: frameRate, crf: options.format == .mp4 ? options.x264CRF : options.vp9CRF,
            preset: options.preset, threads: 0)
        let video = VideoTimeline(encoder: videoEncoder)
        var audio: AudioTimeline?
        var sampleRate = 0
        if let firstAudio = clips.first(where: \.hasAudio)?.audio {
            sampleRate = options.format == .webm ? 48000 : (firstAudio.sampleRate ?? 48000)
            let encoder = try AudioEncoder(
                output: out, format: options.format, channels: min(2, max(1, firstAudio.channels ?? 2)),
                rate: sampleRate)
            audio = AudioTimeline(encoder: encoder)
        }
        try out.writeHeader(faststart: options.format == .mp4)

        let fitter = FrameFitter(width: size.width, height: size.height)
        let starts = layout.starts
        // Audio follows the video's frames, counted from the film's start so rounding never drifts.
        func sample(_ frame: Int) -> Int { Int((Double(frame) / fps * Double(sampleRate)).rounded()) }
        var chapters: [FilmChapter] = []
        for (index, clip) in clips.enumerated() {
            video.beginClip(
                frames: frameCounts[index], overlapAfter: layout.overlapAfter(index),
                kind: index < layout.kinds.count ? layout.kinds[index] : .crossfade)
            let end = sample(starts[index] + frameCounts[index])
            let next = index + 1 < starts.count ? sample(starts[index + 1]) : end
            audio?.beginClip(samples: end - sample(starts[index]), overlapAfter: end - next)
            try ClipTranscoder(
                path: clip.path, frames: frameCounts[index], fps: fps, fitter: fitter,
                geometry: clip.video?.geometry, timeline: clip.timeline, video: video, audio: audio
            )
            .run(output: output, shouldStop: shouldStop)
            try audio?.endClip()
            if titles.indices.contains(index) {
                // A clip is seen from where it starts to show (fading in over the previous one, if it does).
                chapters.append(
                    FilmChapter(
                        title: titles[index], start: Double(starts[index]) / fps,
                        end: Double(starts[index] + frameCounts[index]) / fps))
            }
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
