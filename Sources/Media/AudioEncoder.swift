import CFFmpeg

/// AAC (MP4) or Opus (WebM) encoder for one output stream, fed planar Float samples in any chunk size.
final class AudioEncoder {
    let channels: Int, rate: Int
    private let codec: CodecContext
    private let stream: UnsafeMutablePointer<AVStream>
    private let output: OutputFile
    private let packet: Packet
    private let frameSize: Int
    private let sampleFormat: AVSampleFormat
    private var pending: [[Float]]
    private var samplesSent: Int64 = 0

    /// Adds the stream; call before `OutputFile.writeHeader`. `start`: the time of the first sample, in samples
    /// (the encoder's priming goes before it, hidden by the container).
    init(output: OutputFile, format: OutputFormat, channels: Int, rate: Int, start: Int64 = 0) throws(MediaError) {
        let name = format == .mp4 ? "aac" : "libopus"
        guard let encoder = avcodec_find_encoder_by_name(name) else { throw .unavailable("the \(name) encoder") }
        codec = try CodecContext(codec: encoder)
        let c = codec.pointer
        // Prefer planar float, then packed float, then 16-bit (libopus offers s16 and flt).
        var formats: [AVSampleFormat] = []
        if var list = encoder.pointee.sample_fmts {
            while list.pointee != AV_SAMPLE_FMT_NONE {
                formats.append(list.pointee)
                list += 1
            }
        }
        sampleFormat =
            [AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S16].first { formats.contains($0) }
            ?? AV_SAMPLE_FMT_FLTP
        c.pointee.sample_fmt = sampleFormat
        c.pointee.sample_rate = Int32(rate)
        av_channel_layout_default(&c.pointee.ch_layout, Int32(channels))
        c.pointee.bit_rate = Int64(64_000 * channels)
        c.pointee.time_base = AVRational(num: 1, den: Int32(rate))
        if output.needsGlobalHeader { c.pointee.flags |= runner_codec_flag_global_header() }
        let opened = avcodec_open2(c, encoder, nil)
        guard opened >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot open \(name): \(avErrorText(opened))")
        }
        stream = try output.addStream()
        guard avcodec_parameters_from_context(stream.pointee.codecpar, c) >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot set the audio stream's parameters")
        }
        stream.pointee.time_base = c.pointee.time_base
        frameSize = c.pointee.frame_size > 0 ? Int(c.pointee.frame_size) : 1024
        self.channels = channels
        self.rate = rate
        self.output = output
        pending = Array(repeating: [], count: channels)
        packet = try Packet()
        samplesSent = start
    }

    /// Queues samples (one array per channel) and encodes every whole frame.
    func append(_ planes: [[Float]]) throws(MediaError) {
        for c in 0..<channels where c < planes.count { pending[c].append(contentsOf: planes[c]) }
        while pending[0].count >= frameSize { try encodeFrame(count: frameSize) }
    }

    /// Encodes what is left (a short last frame) and drains the encoder.
    func finish() throws(MediaError) {
        if !pending[0].isEmpty { try encodeFrame(count: pending[0].count) }
        try send(nil)
    }

    private func encodeFrame(count: Int) throws(MediaError) {
        let frame = try Frame()
        let f = frame.pointer
        f.pointee.nb_samples = Int32(count)
        f.pointee.format = sampleFormat.rawValue
        f.pointee.sample_rate = Int32(rate)
        guard av_channel_layout_copy(&f.pointee.ch_layout, &codec.pointer.pointee.ch_layout) >= 0,
            av_frame_get_buffer(f, 0) >= 0, let data = f.pointee.extended_data
        else {
            throw .unavailable("memory for an audio frame")
        }
        for c in 0..<channels {
            let samples = pending[c]
            switch sampleFormat {
            case AV_SAMPLE_FMT_FLTP:
                data[c]?.withMemoryRebound(to: Float.self, capacity: count) { out in
                    for i in 0..<count { out[i] = samples[i] }
                }
            case AV_SAMPLE_FMT_FLT:
                data[0]?.withMemoryRebound(to: Float.self, capacity: count * channels) { out in
                    for i in 0..<count { out[i * channels + c] = samples[i] }
                }
            default:
                data[0]?.withMemoryRebound(to: Int16.self, capacity: count * channels) { out in
                    for i in 0..<count { out[i * channels + c] = Int16(max(-1, min(1, samples[i])) * 32767) }
                }
            }
            pending[c].removeFirst(count)
        }
        f.pointee.pts = samplesSent
        samplesSent += Int64(count)
        try send(frame)
    }

    private func send(_ frame: Frame?) throws(MediaError) {
        let sent = avcodec_send_frame(codec.pointer, frame?.pointer)
        guard sent >= 0 else {
            throw .outputFailed(path: output.path, reason: "audio encoding failed: \(avErrorText(sent))")
        }
        while true {
            let status = avcodec_receive_packet(codec.pointer, packet.pointer)
            if status == runner_averror_eagain() || status == runner_averror_eof() { return }
            guard status >= 0 else {
                throw .outputFailed(path: output.path, reason: "audio encoding failed: \(avErrorText(status))")
            }
            av_packet_rescale_ts(packet.pointer, codec.pointer.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            try output.write(packet)
        }
    }
}
