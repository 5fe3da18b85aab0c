import CFFmpeg

/// Joins clips that share codec parameters by remuxing their packets (no decoding), one clip open at a time.
///
/// Each clip occupies exactly its shown video span (`ClipTimeline`), so the picture never freezes on audio
/// that runs past it. Audio is laid contiguously (as a player plays it), packet by packet: a clip's
/// priming packets (decoded, never shown: AAC's 1024 samples) are dropped at a join, its packets are
/// placed from the sample where its video starts, and packets that would run past its video's end by more
/// than half a codec frame are dropped. So every join is within half a codec frame of exact and the error
/// never adds up across joins (ffmpeg's concat demuxer adds priming and padding at every join). The first
/// clip keeps its priming packet and hidden frames at negative times: the MP4 muxer turns those into the
/// output's edit list, as it does for ffmpeg's own stream copy.
///
/// The merge is fed one clip at a time (`append`, in film order) and closed by `finish`, which writes the index
/// (`moov`, moved first for MP4): `run` feeds a list at once, `IncrementalCopyMerge` feeds clips as they land.
/// Both write the same packets in the same order, so the same clips give the same bytes.
final class CopyMerger {
    let geometry: ClipGeometry
    let output: String
    let format: OutputFormat
    let hasAudio: Bool
    /// How many clips the film will have (for progress only).
    let clipCount: Int
    let shouldStop: (@Sendable () -> Bool)?
    let progress: (@Sendable (MergeProgress) -> Void)?

    private let out: OutputFile
    private let packet: Packet
    private let microseconds = AVRational(num: 1, den: Int32(AV_TIME_BASE))
    /// Clips appended so far.
    private(set) var clipsDone = 0
    private var lastVideoDTS = Int64.min
    /// The film's start, microseconds: it keeps the first clip's own start (a WebM clip's video may start at 7 ms,
    /// after its audio's priming) so its first clip is as it was.
    private var filmStart: Int64 = 0
    /// Start of the next clip in the output, microseconds.
    private var offset: Int64 = 0
    private var adjustments = 0
    /// Audio is counted in samples at the clips' (shared) rate: `written` is where the next packet starts.
    private var audioRate: Int32 = 0
    private var written: Int64? = nil
    /// One per clip appended with a title: the film's chapters.
    private var chapters: [FilmChapter] = []

    /// A merge into `output` (written to a temporary file until `finish`), its streams set up by the first clip.
    init(
        geometry: ClipGeometry, output: String, format: OutputFormat, hasAudio: Bool, clipCount: Int,
        shouldStop: (@Sendable () -> Bool)?, progress: (@Sendable (MergeProgress) -> Void)?
    ) throws(MediaError) {
        self.geometry = geometry
        self.output = output
        self.format = format
        self.hasAudio = hasAudio
        self.clipCount = clipCount
        self.shouldStop = shouldStop
        self.progress = progress
        out = try OutputFile(path: output, format: format.rawValue)
        packet = try Packet()
    }

    /// Joins `inputs` (with their `timelines`) into `output` in one go.
    static func run(
        inputs: [String], timelines: [ClipTimeline], geometry: ClipGeometry, output: String, format: OutputFormat,
        shouldStop: (@Sendable () -> Bool)?, progress: (@Sendable (MergeProgress) -> Void)?,
        reason: String, hasAudio: Bool, titles: [String] = []
    ) throws(MediaError) -> MergeReport {
        let merger = try CopyMerger(
            geometry: geometry, output: output, format: format, hasAudio: hasAudio, clipCount: inputs.count,
            shouldStop: shouldStop, progress: progress)
        for (index, (path, timeline)) in zip(inputs, timelines).enumerated() {
            try merger.append(path, timeline: timeline, title: titles.indices.contains(index) ? titles[index] : nil)
        }
        return try merger.finish(reason: reason)
    }

    /// Writes the index and renames the film into place.
    func finish(reason: String) throws(MediaError) -> MergeReport {
        // Chapters only when every clip has its title: a film with some clips unnamed would misplace per-frame work.
        if !chapters.isEmpty, chapters.count == clipsDone { try out.setChapters(chapters) }
        try out.finish()
        return MergeReport(
            mode: .copy, reason: reason, output: output, clipCount: clipsDone,
            duration: Double(offset - filmStart) / 1e6, hasAudio: hasAudio, timestampAdjustments: adjustments)
    }

    /// Appends the clip at `path` (the next one in film order), whose shown span is `timeline`; `title` (its source
    /// frame's name) becomes the chapter of its span.
    func append(_ path: String, timeline: ClipTimeline, title: String? = nil) throws(MediaError) {
        if shouldStop?() == true { throw .cancelled(path: output) }
        let clipIndex = clipsDone
        let input = try InputFile(path: path, probing: clipIndex == 0 ? .full : .whenNeeded)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let videoStream = input.stream(videoIndex) else {
            throw .noVideoStream(path: path)
        }
        let audioIndex = hasAudio ? input.bestStream(AVMEDIA_TYPE_AUDIO) : nil
        let audioStream = audioIndex.flatMap { input.stream($0) }

        if clipIndex == 0 {
            filmStart = av_rescale_q(timeline.videoStartTicks, timeline.videoTimeBase, microseconds)
            offset = filmStart
            try out.addStream(copying: videoStream, geometry: geometry)
            if let audioStream {
                try out.addStream(copying: audioStream, geometry: nil)
                audioRate = audioStream.pointee.codecpar.pointee.sample_rate
            }
            try out.writeHeader(faststart: format == .mp4)
        }
        guard let outVideo = out.stream(0) else {
            throw .outputFailed(path: output, reason: "the video stream is missing")
        }
        let outAudio = out.stream(1)

        let videoBase = videoStream.pointee.time_base
        let outVideoBase = outVideo.pointee.time_base
        let videoShift = av_rescale_q(offset, microseconds, outVideoBase)
        let clipMicroseconds = timeline.videoMicroseconds
        let samples = AVRational(num: 1, den: max(1, audioRate))
        // Where this clip's audio must start and end in the output, in samples (from the exact clip span).
        let audioTarget = (
            start: av_rescale_q(offset, microseconds, samples),
            end: av_rescale_q(offset + clipMicroseconds, microseconds, samples)
        )
        let videoStartSamples = av_rescale_q(timeline.videoStartTicks, timeline.videoTimeBase, samples)
        let frameSamples = Int64(max(1, timeline.audio?.frameSamples ?? 1024))
        // Where the clip's shown audio ends (against its video start): a packet the edit list cut short
        // there still decodes whole, and a player plays all of it.
        let audioEnd =
            timeline.audio.map { Int64((($0.startOffset + $0.duration) * Double($0.sampleRate)).rounded()) }
            ?? Int64.max

        var packetsRead = 0
        let noValue = runner_av_nopts_value()
        while try input.read(into: packet) {
            defer { packet.unref() }
            packetsRead += 1
            if packetsRead % 256 == 0, shouldStop?() == true { throw .cancelled(path: output) }
            let p = packet.pointer
            let inputIndex = Int(p.pointee.stream_index)
            if inputIndex == videoIndex {
                if p.pointee.pts != noValue {
                    p.pointee.pts =
                        av_rescale_q(p.pointee.pts - timeline.videoStartTicks, videoBase, outVideoBase) + videoShift
                }
                if p.pointee.dts != noValue {
                    p.pointee.dts =
                        av_rescale_q(p.pointee.dts - timeline.videoStartTicks, videoBase, outVideoBase) + videoShift
                }
                if p.pointee.dts == noValue { p.pointee.dts = p.pointee.pts }
                p.pointee.duration = av_rescale_q(p.pointee.duration, videoBase, outVideoBase)
                if p.pointee.dts != noValue, p.pointee.dts <= lastVideoDTS {
                    p.pointee.dts = lastVideoDTS + 1
                    adjustments += 1
                }
                if p.pointee.pts != noValue, p.pointee.pts < p.pointee.dts { p.pointee.pts = p.pointee.dts }
                lastVideoDTS = p.pointee.dts
                // The flag only told this demuxer what the source's edit list hides; the output's edit list does now.
                p.pointee.flags &= ~Int32(0x0004)
                p.pointee.stream_index = 0
            } else if inputIndex == audioIndex, let audioStream, let outAudio {
                let timestamp = p.pointee.pts != noValue ? p.pointee.pts : p.pointee.dts
                guard timestamp != noValue else { continue }
                // The packet's start against the clip's first shown video instant, in samples.
                let relative = av_rescale_q(timestamp, audioStream.pointee.time_base, samples) - videoStartSamples
                // What the packet decodes to: its own duration (Opus packets may vary), or a whole codec
                // frame when the source's edit list trimmed its last packet.
                var length = av_rescale_q(p.pointee.duration, audioStream.pointee.time_base, samples)
                if length <= 0 || (length < frameSamples && relative + length >= audioEnd - 1) { length = frameSamples }
                let placed: Int64
                if let position = written {
                    // A join: skip what lies mostly before the clip's start (priming), stop where the next clip starts.
                    if relative + length / 2 <= 0 { continue }
                    if position + length / 2 > audioTarget.end { continue }
                    placed = position
                } else {
                    // The film's start: keep the one packet that primes the decoder; the muxer's edit list hides it.
                    if relative + length <= 0 - length / 2 { continue }
                    placed = audioTarget.start + relative
                    if placed + length / 2 > audioTarget.end { continue }
                }
                let outBase = outAudio.pointee.time_base
                p.pointee.pts = av_rescale_q(placed, samples, outBase)
                p.pointee.dts = p.pointee.pts
                p.pointee.duration = av_rescale_q(length, samples, outBase)
                p.pointee.flags &= ~Int32(0x0004)
                p.pointee.stream_index = 1
                written = placed + length
            } else {
                continue
            }
            p.pointee.pos = -1
            try out.write(packet)
        }
        if let title {
            chapters.append(
                FilmChapter(
                    title: title, start: Double(offset - filmStart) / 1e6,
                    end: Double(offset + clipMicroseconds - filmStart) / 1e6))
        }
        offset += clipMicroseconds
        clipsDone += 1
        progress?(
            MergeProgress(
                clipsDone: clipsDone, clipCount: max(clipCount, clipsDone),
                secondsWritten: Double(offset - filmStart) / 1e6))
    }
}
