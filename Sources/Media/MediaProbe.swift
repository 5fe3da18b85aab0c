import CFFmpeg

/// Reads a media file's container and stream parameters.
public enum MediaProbe {
    /// Probes `path`; throws naming the file when it is missing, not media, or truncated.
    public static func probe(path: String) throws(MediaError) -> MediaInfo {
        let input = try InputFile(path: path)
        try checkComplete(input)
        return describe(input)
    }

    /// Like `probe`, but decodes nothing when the container's header already gives every parameter (MP4
    /// does): for checking a downloaded clip many times over, where a full probe's decoding would dominate.
    public static func quickProbe(path: String) throws(MediaError) -> MediaInfo {
        let input = try InputFile(path: path, probing: .whenNeeded)
        try checkComplete(input)
        return describe(input)
    }

    static func describe(_ input: InputFile) -> MediaInfo {
        let context = input.context
        let duration = context.pointee.duration > 0 ? Double(context.pointee.duration) / Double(AV_TIME_BASE) : 0
        let streams = (0..<input.streamCount).compactMap { index in
            input.stream(index).map { describe($0, index: index, in: input) }
        }
        // A file without video (or whose video shows nothing) still probes; it just has no timeline.
        let timeline = try? ClipTimeline(input)
        return MediaInfo(
            path: input.path,
            container: context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown",
            duration: duration,
            bitRate: context.pointee.bit_rate > 0 ? Int(context.pointee.bit_rate) : nil,
            streams: streams,
            timeline: timeline
        )
    }

    static func describe(_ stream: UnsafeMutablePointer<AVStream>, index: Int, in input: InputFile) -> StreamInfo {
        let timeBase = stream.pointee.time_base
        var info = StreamInfo(
            index: index, kind: .other, codec: "none", profile: nil,
            timeBase: "\(timeBase.num)/\(timeBase.den)", duration: nil)
        if stream.pointee.duration > 0, timeBase.den > 0 {
            info.duration = Double(stream.pointee.duration) * av_q2d(timeBase)
        }
        guard let parameters = stream.pointee.codecpar else { return info }
        let codecID = parameters.pointee.codec_id
        info.codec = String(cString: avcodec_get_name(codecID))
        info.profile = avcodec_profile_name(codecID, parameters.pointee.profile).map { String(cString: $0) }
        switch parameters.pointee.codec_type {
        case AVMEDIA_TYPE_VIDEO:
            info.kind = .video
            info.width = Int(parameters.pointee.width)
            info.height = Int(parameters.pointee.height)
            let rate =
                stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
            if rate.num > 0, rate.den > 0 {
                info.frameRate = av_q2d(rate)
                info.frameRateFraction = "\(rate.num)/\(rate.den)"
            }
            info.pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.pointee.format)).map {
                String(cString: $0)
            }
            info.geometry = ClipGeometry(input, stream: stream)
        case AVMEDIA_TYPE_AUDIO:
            info.kind = .audio
            info.sampleRate = Int(parameters.pointee.sample_rate)
            info.channels = Int(parameters.pointee.ch_layout.nb_channels)
            info.sampleFormat = av_get_sample_fmt_name(AVSampleFormat(rawValue: parameters.pointee.format)).map {
                String(cString: $0)
            }
        case AVMEDIA_TYPE_SUBTITLE: info.kind = .subtitle
        case AVMEDIA_TYPE_DATA: info.kind = .data
        default: break
        }
        return info
    }

    /// Throws `.truncated` when the demuxer's index points past the end of the file (an MP4 cut short
    /// after its `moov`), or `.noVideoStream`-free files with no streams at all as not media.
    static func checkComplete(_ input: InputFile) throws(MediaError) {
        guard input.streamCount > 0 else { throw .notMedia(path: input.path, reason: "no audio or video streams") }
        guard let size = input.byteSize else { return }
        for index in 0..<input.streamCount {
            guard let stream = input.stream(index) else { continue }
            let count = avformat_index_get_entries_count(stream)
            guard count > 0, let last = avformat_index_get_entry(stream, count - 1) else { continue }
            let end = last.pointee.pos + Int64(last.pointee.size)
            if end > size {
                throw .truncated(
                    path: input.path, reason: "stream \(index) needs \(end) bytes but the file has \(size)")
            }
        }
    }
}
