import CFFmpeg

/// A clip's timeline as a player presents it: the span of its video that is shown (an edit list may hide
/// frames before or after it), and where its audio lies against that span (encoder priming before,
/// frame padding after, audio starting late or running past the picture). Copy and re-encode both place
/// clips by it, and `runner probe` shows it.
///
/// Read from the container's index when the demuxer has one (MP4/MOV: free, no packet is read), else
/// from one pass over the packets (WebM, Matroska).
public struct ClipTimeline: Sendable, Codable, Equatable {
    /// Where the audio lies against the shown video.
    public struct Audio: Sendable, Codable, Equatable {
        public var sampleRate: Int
        /// Samples decoded before the first one shown: the encoder's delay (AAC 1024, Opus pre-skip 312)
        /// plus any audio an edit list hides.
        public var primingSamples: Int
        /// Samples decoded after the last one shown (the rest of the last codec frame).
        public var paddingSamples: Int
        /// Samples per codec frame (AAC 1024; Opus 960 at 20 ms); the grain at which a copy can cut.
        public var frameSamples: Int
        /// Seconds from the video's first shown frame to the first shown audio sample (negative: earlier).
        public var startOffset: Double
        /// Seconds of audio shown.
        public var duration: Double

        /// Seconds of audio past the video's end (cut off by a merge); negative when the audio stops early
        /// (padded with silence by a merge).
        public func overrun(videoDuration: Double) -> Double { startOffset + duration - videoDuration }
    }

    /// Time of the first shown video frame in the file's own timeline, seconds.
    public var videoStart: Double
    /// Seconds of video shown: the span the clip occupies in a merged film.
    public var videoDuration: Double
    /// Frames decoded but hidden before the first shown one (an edit list starting after a keyframe).
    public var hiddenFramesBefore: Int
    /// Frames decoded but hidden after the last shown one.
    public var hiddenFramesAfter: Int
    /// The audio, when the clip has some.
    public var audio: Audio?

    /// The first shown frame's time in the video stream's time base (exact, for copying).
    var videoStartTicks: Int64
    var videoTimeBase: AVRational
    /// The shown span's length in microseconds, finer than a coarse time base (WebM's milliseconds
    /// cannot hold 1/24 s): the span the clip occupies in a merged film.
    var videoMicroseconds: Int64

    private enum CodingKeys: String, CodingKey {
        case videoStart, videoDuration, hiddenFramesBefore, hiddenFramesAfter, audio
    }

    public static func == (a: ClipTimeline, b: ClipTimeline) -> Bool {
        a.videoStart == b.videoStart && a.videoDuration == b.videoDuration
            && a.hiddenFramesBefore == b.hiddenFramesBefore
            && a.hiddenFramesAfter == b.hiddenFramesAfter && a.audio == b.audio
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        videoStart = try values.decode(Double.self, forKey: .videoStart)
        videoDuration = try values.decode(Double.self, forKey: .videoDuration)
        hiddenFramesBefore = try values.decode(Int.self, forKey: .hiddenFramesBefore)
        hiddenFramesAfter = try values.decode(Int.self, forKey: .hiddenFramesAfter)
        audio = try values.decodeIfPresent(Audio.self, forKey: .audio)
        videoTimeBase = AVRational(num: 1, den: 1_000_000)
        videoStartTicks = Int64((videoStart * 1e6).rounded())
        videoMicroseconds = Int64((videoDuration * 1e6).rounded())
    }

    /// The timeline of `input`'s best video stream and best audio stream. Reading packets (for a file
    /// without an index) leaves `input` at its end: use a fresh `InputFile` to read it again.
    init(_ input: InputFile) throws(MediaError) {
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let video = input.stream(videoIndex) else {
            throw .noVideoStream(path: input.path)
        }
        let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO)
        let audioStream = audioIndex.flatMap { input.stream($0) }
        var spans: [Int: StreamSpan] = [:]
        if let indexed = StreamSpan(indexOf: video), audioStream.map({ StreamSpan(indexOf: $0) != nil }) ?? true {
            spans[videoIndex] = indexed
            if let audioIndex, let audioStream { spans[audioIndex] = StreamSpan(indexOf: audioStream) }
        } else {
            spans = try StreamSpan.scanning(input, streams: [videoIndex] + (audioIndex.map { [$0] } ?? []))
        }
        guard let videoSpan = spans[videoIndex], videoSpan.end > videoSpan.start else {
            throw .notMedia(path: input.path, reason: "its video stream has no frames to show")
        }
        videoTimeBase = video.pointee.time_base
        videoStartTicks = videoSpan.start
        videoStart = Double(videoSpan.start) * av_q2d(videoTimeBase)
        let microseconds = AVRational(num: 1, den: Int32(AV_TIME_BASE))
        var length = av_rescale_q(videoSpan.end - videoSpan.start, videoTimeBase, microseconds)
        // A clip of whole frames at its frame rate lasts exactly that many frames, whatever a coarse time
        // base rounded (WebM's milliseconds cannot hold 1/24 s): otherwise each join would drift a little.
        let rate = video.pointee.avg_frame_rate.num > 0 ? video.pointee.avg_frame_rate : video.pointee.r_frame_rate
        if rate.num > 0, rate.den > 0 {
            let frame = Double(rate.den) / Double(rate.num) * 1e6
            let frames = (Double(length) / frame).rounded()
            let exact = Int64((frames * frame).rounded())
            if frames >= 1, abs(exact - length) <= max(1, av_rescale_q(1, videoTimeBase, microseconds)) {
                length = exact
            }
        }
        videoMicroseconds = length
        videoDuration = Double(length) / 1e6
        hiddenFramesBefore = videoSpan.hiddenBefore
        hiddenFramesAfter = videoSpan.hiddenAfter
        if let audioIndex, let audioStream, let span = spans[audioIndex], span.end > span.start,
            let rate = audioStream.pointee.codecpar.map({ Int($0.pointee.sample_rate) }), rate > 0
        {
            let base = audioStream.pointee.time_base
            let samples = AVRational(num: 1, den: Int32(rate))
            func inSamples(_ ticks: Int64) -> Int { Int(av_rescale_q(ticks, base, samples)) }
            let videoStartSamples = Int(av_rescale_q(videoSpan.start, videoTimeBase, samples))
            audio = Audio(
                sampleRate: rate,
                primingSamples: max(0, inSamples(span.start) - inSamples(span.first)),
                paddingSamples: max(0, inSamples(span.decodedEnd) - inSamples(span.end)),
                frameSamples: inSamples(span.frameTicks),
                startOffset: Double(inSamples(span.start) - videoStartSamples) / Double(rate),
                duration: Double(inSamples(span.end) - inSamples(span.start)) / Double(rate))
        }
    }
}

/// What one stream decodes and shows, in its time base.
struct StreamSpan {
    /// First shown and end of the last shown instant.
    var start: Int64, end: Int64
    /// Earliest decoded timestamp and end of the decoded data (with padding).
    var first: Int64, decodedEnd: Int64
    /// Duration of one packet (a codec frame for audio).
    var frameTicks: Int64
    /// How long the last shown packet lasts (from its timestamp to `end`).
    var lastDuration: Int64 = 0
    var hiddenBefore = 0, hiddenAfter = 0

    /// From the demuxer's index (MP4/MOV build it from the header, flagging what the edit list hides);
    /// nil when the stream has no index or no start and duration to go with it.
    init?(indexOf stream: UnsafeMutablePointer<AVStream>) {
        let count = Int(avformat_index_get_entries_count(stream))
        let noValue = runner_av_nopts_value()
        guard count > 0, stream.pointee.start_time != noValue, stream.pointee.duration > 0,
            let firstEntry = avformat_index_get_entry(stream, 0),
            let lastEntry = avformat_index_get_entry(stream, Int32(count - 1))
        else {
            return nil
        }
        start = stream.pointee.start_time
        end = start + stream.pointee.duration
        first = min(firstEntry.pointee.timestamp, start)
        frameTicks = 0
        if count >= 2, let previous = avformat_index_get_entry(stream, Int32(count - 2)) {
            frameTicks = lastEntry.pointee.timestamp - previous.pointee.timestamp
        }
        if frameTicks <= 0 { frameTicks = max(1, end - lastEntry.pointee.timestamp) }
        decodedEnd = max(end, lastEntry.pointee.timestamp + frameTicks)
        lastDuration = frameTicks
        for index in 0..<count {
            guard let entry = avformat_index_get_entry(stream, Int32(index)), entry.pointee.flags & 4 != 0 else {
                continue
            }  // AVINDEX_DISCARD_FRAME
            if entry.pointee.timestamp < start { hiddenBefore += 1 } else { hiddenAfter += 1 }
        }
    }

    private init(start: Int64, end: Int64, first: Int64, decodedEnd: Int64, frameTicks: Int64) {
        self.start = start
        self.end = end
        self.first = first
        self.decodedEnd = decodedEnd
        self.frameTicks = frameTicks
    }

    /// One pass over the packets of `streams`: what is shown is what no discard flag or skip side data hides.
    static func scanning(_ input: InputFile, streams: [Int]) throws(MediaError) -> [Int: StreamSpan] {
        struct Tally {
            var shownStart = Int64.max, shownEnd = Int64.min, first = Int64.max, decodedEnd = Int64.min
            var lastDuration: Int64 = 0, typicalDuration: Int64 = 0
            var discarded: [Int64] = []
            var packets = 0
        }
        var tallies: [Int: Tally] = [:]
        let packet = try Packet()
        let noValue = runner_av_nopts_value()
        while try input.read(into: packet) {
            defer { packet.unref() }
            let p = packet.pointer.pointee
            let index = Int(p.stream_index)
            guard streams.contains(index), let stream = input.stream(index) else { continue }
            let timestamp = p.pts != noValue ? p.pts : p.dts
            guard timestamp != noValue else { continue }
            var tally = tallies[index] ?? Tally()
            tally.packets += 1
            tally.first = min(tally.first, timestamp)
            if p.duration > 0 { tally.typicalDuration = max(tally.typicalDuration, p.duration) }
            tally.decodedEnd = max(tally.decodedEnd, timestamp + max(p.duration, tally.typicalDuration))
            if p.flags & 0x0004 != 0 {  // AV_PKT_FLAG_DISCARD: decoded for reference, never shown
                tally.discarded.append(timestamp)
            } else {
                var shownFrom = timestamp
                var shownTo = timestamp + p.duration
                var size = 0
                if let skip = av_packet_get_side_data(packet.pointer, AV_PKT_DATA_SKIP_SAMPLES, &size), size >= 8,
                    let rate = stream.pointee.codecpar.map({ $0.pointee.sample_rate }), rate > 0
                {
                    let words = UnsafeRawPointer(skip)
                    let atStart = Int64(words.loadUnaligned(as: UInt32.self).littleEndian)
                    let atEnd = Int64(words.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian)
                    let samples = AVRational(num: 1, den: rate)
                    shownFrom += av_rescale_q(atStart, samples, stream.pointee.time_base)
                    shownTo -= av_rescale_q(atEnd, samples, stream.pointee.time_base)
                } else if tally.packets == 1, let parameters = stream.pointee.codecpar,
                    parameters.pointee.initial_padding > 0,
                    parameters.pointee.sample_rate > 0
                {
                    // Matroska states the encoder delay once (CodecDelay) instead of on the first packet.
                    shownFrom += av_rescale_q(
                        Int64(parameters.pointee.initial_padding),
                        AVRational(num: 1, den: parameters.pointee.sample_rate), stream.pointee.time_base)
                }
                tally.shownStart = min(tally.shownStart, shownFrom)
                if shownTo >= tally.shownEnd {
                    tally.shownEnd = shownTo
                    tally.lastDuration = shownTo - shownFrom
                }
            }
            tallies[index] = tally
        }
        var spans: [Int: StreamSpan] = [:]
        for (index, tally) in tallies where tally.shownEnd > tally.shownStart {
            var span = StreamSpan(
                start: tally.shownStart, end: tally.shownEnd, first: tally.first,
                decodedEnd: max(tally.decodedEnd, tally.shownEnd), frameTicks: max(1, tally.typicalDuration))
            span.hiddenBefore = tally.discarded.filter { $0 < tally.shownStart }.count
            span.hiddenAfter = tally.discarded.count - span.hiddenBefore
            span.lastDuration = tally.lastDuration
            spans[index] = span
        }
        return spans
    }
}
