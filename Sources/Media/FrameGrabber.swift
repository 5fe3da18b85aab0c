import CFFmpeg

/// Decodes the picture shown at a given time of a video (seeking to the keyframe before it).
enum FrameGrabber {
    /// The decoded frame displayed at `seconds` (the last one starting at or before it); at the middle
    /// of the video when `seconds` is nil. `preview` trades exactness for speed where a small thumbnail
    /// hides the difference: the container header is trusted (no probing decode) and deblocking is skipped.
    static func frame(of path: String, at requested: Double?, preview: Bool = false) throws(MediaError) -> Frame {
        let input = try InputFile(path: path, probing: preview ? .whenNeeded : .full)
        try MediaProbe.checkComplete(input)
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(index) else {
            throw .noVideoStream(path: path)
        }
        let duration =
            input.context.pointee.duration > 0 ? Double(input.context.pointee.duration) / Double(AV_TIME_BASE) : 0
        let seconds = requested ?? duration / 2
        guard seconds >= 0, duration == 0 || seconds <= duration else {
            throw .invalidOption("Time \(seconds) s is outside '\(path)' (0 to \(String(format: "%.3f", duration)) s).")
        }
        let timeBase = stream.pointee.time_base
        let start = stream.pointee.start_time != runner_av_nopts_value() ? stream.pointee.start_time : 0
        let target = start + Int64(seconds / av_q2d(timeBase))
        av_seek_frame(input.context, Int32(index), target, runner_seek_flag_backward())
        let decoder = try CodecContext.decoder(for: stream, path: path, threads: preview ? 1 : 0)
        if preview { decoder.pointer.pointee.skip_loop_filter = AVDISCARD_ALL }
        let packet = try Packet()
        let decoded = try Frame()
        var best: Frame?
        var done = false

        func receive() throws(MediaError) {
            while !done, avcodec_receive_frame(decoder.pointer, decoded.pointer) >= 0 {
                defer { decoded.unref() }
                let timestamp = decoded.pointer.pointee.best_effort_timestamp
                if best != nil, timestamp != runner_av_nopts_value(), timestamp > target {
                    done = true
                    return
                }
                best = try decoded.reference()
            }
        }

        while !done, try input.read(into: packet) {
            defer { packet.unref() }
            guard Int(packet.pointer.pointee.stream_index) == index else { continue }
            _ = avcodec_send_packet(decoder.pointer, packet.pointer)
            try receive()
        }
        if !done {
            avcodec_send_packet(decoder.pointer, nil)
            try receive()
        }
        guard let best else { throw .decodingFailed(path: path, reason: "no picture at \(seconds) s") }
        return best
    }
}
