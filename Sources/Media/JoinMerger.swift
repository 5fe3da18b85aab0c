import CFFmpeg

/// Joins H.264 clips that share codec parameters with transitions at their joins, re-encoding only around the
/// joins: every group of pictures no transition touches is copied as it is (its pictures decode bit for bit as in
/// the clip), and the frames from the last keyframe before a transition to the first keyframe after it are decoded,
/// drawn (`TransitionPicture`) and encoded by a `SpanEncoder` set up like the clips, whose parameter sets sit beside
/// the clips' in the film's `avcC`. So the film is one valid H.264 stream, and only the joins cost encoding time.
///
/// The sound is decoded, laid clip after clip with each join's overlap mixed, and encoded once as AAC: AAC frames
/// overlap (each decodes with its neighbour) and never line up with the video's frames, so copied sound packets
/// could not be cut at a join without a click, nor cross-faded. Each clip's audio is placed against its first
/// shown frame and cut or padded to its video's span, so the A/V offset holds across the film.
///
/// The film lasts exactly its frames: the clips' frames minus each join's overlap (`JoinLayout`). Clips are
/// read one at a time; what is held is one transition's frames and one clip's sound tail, whatever the film's length.
struct JoinMerger {
    let clips: [CheckedClip]
    let pictures: [ClipPictures]
    let configuration: AVCConfiguration
    let layout: JoinLayout
    let frameRate: AVRational
    let output: String
    let options: MergeOptions
    /// Empty, or each clip's source frame name: the film's chapters.
    let titles: [String]
    let shouldStop: (@Sendable () -> Bool)?
    let progress: (@Sendable (MergeProgress) -> Void)?

    /// A merger for `clips`, or why they cannot be merged so (the caller then re-encodes the whole film and says
    /// why). Throws when a clip cannot be read, or a transition is longer than a clip it touches.
    static func prepare(
        clips: [CheckedClip], output: String, options: MergeOptions, titles: [String],
        shouldStop: (@Sendable () -> Bool)?, progress: (@Sendable (MergeProgress) -> Void)?
    ) throws(MediaError) -> Result<JoinMerger, Unsuitable> {
        let first = clips[0]
        if let obstacle = ClipMerger.optionsObstacle(first.signature, options: options) {
            return .failure(Unsuitable(obstacle))
        }
        guard options.format == .mp4 else { return .failure(Unsuitable("a WebM film is encoded as VP9 throughout")) }
        for (index, clip) in clips.enumerated() {
            let name = "clip \(index + 1) '\(clip.info.path)'"
            if index > 0, let difference = clip.signature.firstDifference(from: first.signature) {
                return .failure(
                    Unsuitable(
                        "\(name) differs from the first: its \(difference.parameter) is \(difference.found) where the first clip's is \(difference.expected)"
                    ))
            }
            if clip.timeline.hiddenFramesBefore > 0 || clip.timeline.hiddenFramesAfter > 0 {
                return .failure(Unsuitable("\(name) has an edit list hiding some of its frames"))
            }
        }
        let video = first.signature.video
        guard video.codec == "h264" else {
            return .failure(Unsuitable("the clips' video is \(video.codec), and only H.264 joins are re-encoded alone"))
        }
        guard let configuration = AVCConfiguration(video.extradata) else {
            return .failure(Unsuitable("the clips' H.264 setup is not an avcC record"))
        }
        // Probed fully: an MP4 header leaves the pixel format to the decoder (the clips share one H.264 setup).
        let input = try InputFile(path: first.info.path, probing: .full)
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(index),
            let parameters = stream.pointee.codecpar
        else {
            throw .noVideoStream(path: first.info.path)
        }
        let pixels = AVPixelFormat(rawValue: parameters.pointee.format)
        guard pixels == AV_PIX_FMT_YUV420P || pixels == AV_PIX_FMT_YUVJ420P else {
            let name = av_get_pix_fmt_name(pixels).map { String(cString: $0) } ?? "unknown"
            return .failure(Unsuitable("the clips' pixels are \(name), not 8-bit 4:2:0"))
        }
        guard SpanEncoder.x264Profile(parameters.pointee.profile) != nil else {
            return .failure(
                Unsuitable("libx264 cannot make the clips' H.264 profile (\(video.profile)) in 8-bit 4:2:0"))
        }
        var pictures: [ClipPictures] = []
        for (index, clip) in clips.enumerated() {
            switch try ClipPictures.scan(clip.info.path, lengthSize: configuration.lengthSize) {
            case .success(let found):
                if let reference = pictures.first,
                    found.frameTicks != reference.frameTicks || av_cmp_q(found.timeBase, reference.timeBase) != 0
                {
                    return .failure(Unsuitable("clip \(index + 1) '\(clip.info.path)' counts time differently"))
                }
                pictures.append(found)
            case .failure(let problem):
                return .failure(
                    Unsuitable(
                        "clip \(index + 1) '\(clip.info.path)' cannot be cut at its keyframes: \(problem.reason)"))
            }
        }
        let timeBase = pictures[0].timeBase
        let frameRate = AVRational(
            num: timeBase.den, den: Int32(clamping: Int64(timeBase.num) * pictures[0].frameTicks))
        let layout = try JoinLayout(
            frameCounts: pictures.map(\.frameCount), fps: av_q2d(frameRate), options: options,
            paths: clips.map(\.info.path))
        return .success(
            JoinMerger(
                clips: clips, pictures: pictures, configuration: configuration, layout: layout, frameRate: frameRate,
                output: output, options: options, titles: titles, shouldStop: shouldStop, progress: progress))
    }

    /// Makes the film.
    func run(reason: String) throws(MediaError) -> MergeReport {
        let out = try OutputFile(path: output, format: options.format.rawValue)
        let firstInput = try InputFile(path: clips[0].info.path, probing: .full)
        guard let firstIndex = firstInput.bestStream(AVMEDIA_TYPE_VIDEO),
            let firstStream = firstInput.stream(firstIndex),
            let parameters = firstStream.pointee.codecpar
        else {
            throw .noVideoStream(path: clips[0].info.path)
        }
        let videoStream = try out.addStream(copying: firstStream, geometry: clips[0].info.video?.geometry)
        // The encoder's parameter sets take the first id the clips' do not use, beside theirs in one avcC.
        guard let setID = (0...31).first(where: { !configuration.usedIDs.contains($0) }) else {
            throw .outputFailed(path: output, reason: "the clips use every H.264 parameter set id")
        }
        let timeBase = pictures[0].timeBase
        let makeEncoder = { () throws(MediaError) -> SpanEncoder in
            try SpanEncoder(
                like: parameters, timeBase: timeBase, frameRate: frameRate, parameterSetID: setID,
                lengthSize: configuration.lengthSize, crf: options.joinCRF, preset: options.joinPreset, path: output)
        }
        let encoderSets = try makeEncoder().parameterSets
        var combined = configuration
        combined.sequenceParameterSets += encoderSets.filter { H264Units.type($0) == H264Units.sequenceParameterSet }
        combined.pictureParameterSets += encoderSets.filter { H264Units.type($0) == H264Units.pictureParameterSet }
        try out.setExtradata(combined.bytes, of: videoStream)

        var audio: AudioTimeline?
        if let firstAudio = clips.first(where: { $0.signature.audio != nil })?.info.audio {
            let encoder = try AudioEncoder(
                output: out, format: .mp4, channels: min(2, max(1, firstAudio.channels ?? 2)),
                rate: firstAudio.sampleRate ?? 48000)
            audio = AudioTimeline(encoder: encoder)
        }
        try out.writeHeader(faststart: true)

        let writer = JoinWriter(
            out: out, timeBase: timeBase, outputTimeBase: videoStream.pointee.time_base,
            frameTicks: pictures[0].frameTicks, makeEncoder: makeEncoder)
        let parts = layout.parts(groupStarts: pictures.map(\.groupStarts))
        let starts = layout.starts
        let frameSeconds = av_q2d(timeBase) * Double(pictures[0].frameTicks)
        func sample(_ frame: Int, rate: Int) -> Int { Int((Double(frame) * frameSeconds * Double(rate)).rounded()) }
        for (index, clip) in clips.enumerated() {
            if let audio {
                let start = sample(starts[index], rate: audio.rate)
                let end = sample(starts[index] + layout.frameCounts[index], rate: audio.rate)
                let next = index + 1 < starts.count ? sample(starts[index + 1], rate: audio.rate) : end
                audio.beginClip(samples: end - start, overlapAfter: end - next)
            }
            try writer.append(
                clip.info.path, pictures: pictures[index], parts: parts[index], filmStart: starts[index],
                overlapBefore: layout.overlapBefore(index), overlapAfter: layout.overlapAfter(index),
                kindBefore: index > 0 ? layout.kinds[index - 1] : .crossfade, audio: audio, shouldStop: shouldStop)
            try audio?.endClip()
            progress?(
                MergeProgress(
                    clipsDone: index + 1, clipCount: clips.count,
                    secondsWritten: Double(starts[index] + layout.frameCounts[index]) * frameSeconds))
        }
        try writer.finish()
        try audio?.finish()
        if titles.count == clips.count {
            // A clip's chapter starts where it starts to be seen (its first frame, drawn over the previous clip's last).
            let chapters = titles.enumerated().map { index, title in
                FilmChapter(
                    title: title, start: Double(starts[index]) * frameSeconds,
                    end: Double(starts[index] + layout.frameCounts[index]) * frameSeconds)
            }
            try out.setChapters(chapters)
        }
        try out.finish()
        let spans = layout.reencodedFrames(parts).map {
            FilmSpan(start: Double($0.lowerBound) * frameSeconds, end: Double($0.upperBound) * frameSeconds)
        }
        let reencoded = spans.reduce(0) { $0 + $1.end - $1.start }
        let duration = Double(layout.filmFrames) * frameSeconds
        return MergeReport(
            mode: .copy,
            reason: reason
                + String(
                    format: "; %d span%@ around the joins re-encoded (%.2f s of %.2f s), the rest copied",
                    spans.count, spans.count == 1 ? "" : "s", reencoded, duration),
            output: output, clipCount: clips.count, duration: duration, hasAudio: audio != nil,
            timestampAdjustments: writer.adjustments, reencodedSpans: spans)
    }
}
