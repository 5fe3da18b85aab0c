import CFFmpeg

/// An H.264 (libx264) or VP9 (libvpx) encoder feeding one stream of an `OutputFile`.
final class VideoEncoder {
    let codec: CodecContext
    let stream: UnsafeMutablePointer<AVStream>
    private let output: OutputFile
    private let packet: Packet
    private let streamIndex: Int32

    /// Adds the stream; call before `OutputFile.writeHeader`. `threads` is fixed (not 0) when the bytes must be reproducible.
    init(
        output: OutputFile, format: OutputFormat, width: Int, height: Int, frameRate: AVRational,
        crf: Int, preset: String, threads: Int32, bitexact: Bool = false
    ) throws(MediaError) {
        let name = format == .mp4 ? "libx264" : "libvpx-vp9"
        guard let encoder = avcodec_find_encoder_by_name(name) else { throw .unavailable("the \(name) encoder") }
        codec = try CodecContext(codec: encoder)
        let c = codec.pointer
        c.pointee.width = Int32(width)
        c.pointee.height = Int32(height)
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.time_base = AVRational(num: frameRate.den, den: frameRate.num)
        c.pointee.framerate = frameRate
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.thread_count = threads
        if bitexact { c.pointee.flags |= runner_codec_flag_bitexact() }
        if output.needsGlobalHeader { c.pointee.flags |= runner_codec_flag_global_header() }
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        av_dict_set(&options, "crf", "\(crf)", 0)
        if format == .mp4 {
            av_dict_set(&options, "preset", preset, 0)
        } else {
            c.pointee.bit_rate = 0  // constant quality
            av_dict_set(&options, "deadline", "good", 0)
            av_dict_set(&options, "cpu-used", "4", 0)
            av_dict_set(&options, "row-mt", "1", 0)
        }
        let opened = avcodec_open2(c, encoder, &options)
        guard opened >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot open \(name): \(avErrorText(opened))")
        }
        stream = try output.addStream()
        guard avcodec_parameters_from_context(stream.pointee.codecpar, c) >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot set the video stream's parameters")
        }
        stream.pointee.time_base = c.pointee.time_base
        stream.pointee.avg_frame_rate = frameRate
        streamIndex = stream.pointee.index
        self.output = output
        packet = try Packet()
    }

    /// Encodes one frame (its `pts` counted in frames), or flushes the encoder when `frame` is nil.
    func encode(_ frame: Frame?) throws(MediaError) {
        let sent = avcodec_send_frame(codec.pointer, frame?.pointer)
        guard sent >= 0 else { throw .outputFailed(path: output.path, reason: "encoding failed: \(avErrorText(sent))") }
        try drain()
    }

    private func drain() throws(MediaError) {
        while true {
            let status = avcodec_receive_packet(codec.pointer, packet.pointer)
            if status == runner_averror_eagain() || status == runner_averror_eof() { return }
            guard status >= 0 else {
                throw .outputFailed(path: output.path, reason: "encoding failed: \(avErrorText(status))")
            }
            av_packet_rescale_ts(packet.pointer, codec.pointer.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = streamIndex
            try output.write(packet)  // takes ownership of the packet's data and resets it
        }
    }
}
