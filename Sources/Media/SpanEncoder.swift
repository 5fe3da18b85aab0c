import CFFmpeg

/// A libx264 encoder set up like the clips of a join merge, so the pictures it makes continue their H.264 stream:
/// the same profile, level, size, pixel format, colour description, pixel aspect, frame rate and time base. Its
/// sequence and picture parameter sets carry `parameterSetID`, an id the clips do not use, so both kinds of
/// pictures decode from one `avcC` holding both. One encoder makes one span (it starts with an IDR picture and is
/// flushed at the span's end, so the copied pictures after it never refer into it).
final class SpanEncoder {
    /// The encoder's sequence and picture parameter sets (NAL units, no start codes).
    let parameterSets: [[UInt8]]
    private let codec: CodecContext
    private let packet: Packet
    private let lengthSize: Int
    private let path: String

    /// An encoder for pictures like those of `parameters` (an H.264 stream's), timed in `timeBase` at `frameRate`.
    /// `lengthSize` is the bytes before each NAL unit in the film's samples.
    init(
        like parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational, frameRate: AVRational,
        parameterSetID: Int, lengthSize: Int, crf: Int, preset: String, path: String
    ) throws(MediaError) {
        guard let encoder = avcodec_find_encoder_by_name("libx264") else { throw .unavailable("the libx264 encoder") }
        codec = try CodecContext(codec: encoder)
        let p = parameters.pointee
        let c = codec.pointer
        c.pointee.width = p.width
        c.pointee.height = p.height
        c.pointee.pix_fmt = AVPixelFormat(rawValue: p.format)
        c.pointee.time_base = timeBase
        c.pointee.framerate = frameRate
        c.pointee.sample_aspect_ratio = p.sample_aspect_ratio
        c.pointee.color_range = p.color_range
        c.pointee.color_primaries = p.color_primaries
        c.pointee.color_trc = p.color_trc
        c.pointee.colorspace = p.color_space
        c.pointee.chroma_sample_location = p.chroma_location
        c.pointee.level = p.level
        c.pointee.thread_count = 0
        // Parameter sets go in extradata (read below), never in the pictures: the film's avcC holds them.
        c.pointee.flags |= runner_codec_flag_global_header()
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        av_dict_set(&options, "crf", "\(crf)", 0)
        av_dict_set(&options, "preset", preset, 0)
        if let profile = Self.x264Profile(p.profile) { av_dict_set(&options, "profile", profile, 0) }
        av_dict_set(&options, "x264-params", "sps-id=\(parameterSetID)", 0)
        let opened = avcodec_open2(c, encoder, &options)
        guard opened >= 0 else {
            throw .outputFailed(path: path, reason: "cannot open libx264 like the clips: \(avErrorText(opened))")
        }
        let extradata =
            c.pointee.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(c.pointee.extradata_size))) }
            ?? []
        parameterSets = H264Units.annexB(extradata).filter {
            [H264Units.sequenceParameterSet, H264Units.pictureParameterSet].contains(H264Units.type($0))
        }
        guard parameterSets.compactMap(H264Units.parameterSetID).allSatisfy({ $0 == parameterSetID }),
            parameterSets.count == 2
        else {
            throw .outputFailed(
                path: path, reason: "libx264 did not give one SPS and one PPS with id \(parameterSetID)")
        }
        self.lengthSize = lengthSize
        self.path = path
        packet = try Packet()
    }

    /// The x264 profile name for an FFmpeg H.264 profile number, or nil when x264 cannot make it in 8-bit 4:2:0.
    static func x264Profile(_ profile: Int32) -> String? {
        switch profile & 0xFF {
        case 66: return "baseline"
        case 77: return "main"
        case 100: return "high"
        default: return nil
        }
    }

    /// Encodes `frame` (its `pts` in the time base), or flushes when nil; each packet made is handed to `write`
    /// with its NAL units length-prefixed as in MP4 samples, its timestamps in the time base.
    func encode(_ frame: Frame?, write: (Packet) throws(MediaError) -> Void) throws(MediaError) {
        let sent = avcodec_send_frame(codec.pointer, frame?.pointer)
        guard sent >= 0 else { throw .outputFailed(path: path, reason: "encoding failed: \(avErrorText(sent))") }
        while true {
            let status = avcodec_receive_packet(codec.pointer, packet.pointer)
            if status == runner_averror_eagain() || status == runner_averror_eof() { return }
            guard status >= 0 else {
                throw .outputFailed(path: path, reason: "encoding failed: \(avErrorText(status))")
            }
            defer { packet.unref() }
            try repackage(packet)
            try write(packet)
        }
    }

    /// Replaces the packet's Annex B data by length-prefixed NAL units, leaving out parameter sets and delimiters.
    private func repackage(_ packet: Packet) throws(MediaError) {
        let p = packet.pointer
        guard let data = p.pointee.data else { return }
        let units = H264Units.annexB(Array(UnsafeBufferPointer(start: data, count: Int(p.pointee.size)))).filter {
            ![H264Units.sequenceParameterSet, H264Units.pictureParameterSet, H264Units.accessUnitDelimiter]
                .contains(H264Units.type($0))
        }
        guard let bytes = H264Units.prefixed(units, lengthSize: lengthSize) else {
            throw .outputFailed(path: path, reason: "a picture is too large for the clips' NAL size field")
        }
        let key = p.pointee.flags & 1
        let (pts, dts, duration) = (p.pointee.pts, p.pointee.dts, p.pointee.duration)
        av_packet_unref(p)
        guard av_new_packet(p, Int32(bytes.count)) >= 0, let target = p.pointee.data else {
            throw .unavailable("memory for a packet")
        }
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            target.update(from: base, count: bytes.count)
        }
        p.pointee.flags = key
        p.pointee.pts = pts
        p.pointee.dts = dts
        p.pointee.duration = duration
    }
}
