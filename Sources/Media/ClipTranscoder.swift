import CFFmpeg

/// Decodes one clip and feeds exactly `frames` output frames (frame rate converted by dropping or repeating,
/// as ffmpeg's fps filter does) and its audio to the timelines.
struct ClipTranscoder {
    let path: String
    let frames: Int
    let fps: Double
    let fitter: FrameFitter
    /// How the clip's pictures are shown (rotation, pixel aspect); applied to every frame.
    let geometry: ClipGeometry?
    /// The clip's shown span, from which output slots and the audio's start are counted.
    let timeline: ClipTimeline?
    let video: VideoTimeline
    let audio: AudioTimeline?

    /// Stops with `.cancelled(output)` when `shouldStop` says so (polled once per output frame).
    func run(output: String, shouldStop: (@Sendable () -> Bool)?) throws(MediaError) {
        let input = try InputFile(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let videoStream = input.stream(videoIndex) else {
            throw .noVideoStream(path: path)
        }
        let videoDecoder = try CodecContext.decoder(for: videoStream, path: path)
        let timeBase = av_q2d(videoStream.pointee.time_base)
        let start =
            timeline?.videoStartTicks
            ?? (videoStream.pointee.start_time != runner_av_nopts_value() ? videoStream.pointee.start_time : 0)
        let audioFeed = try audio.flatMap { (audio) throws(MediaError) in
            try ClipAudioFeed(
                input: input, audio: audio, videoStart: start, videoTimeBase: videoStream.pointee.time_base)
        }
        let packet = try Packet()
        let decoded = try Frame()
        var held: Frame?
        var nextSlot = 0

        // Emits the held picture for every output slot before `slot`.
        func emit(upTo slot: Int) throws(MediaError) {
            guard let held else { return }
            while nextSlot < min(slot, frames) {
                if shouldStop?() == true { throw .cancelled(path: output) }
                try video.push(fitter.fit(held, geometry: geometry))
                nextSlot += 1
            }
        }

        func receiveVideo() throws(MediaError) {
            while avcodec_receive_frame(videoDecoder.pointer, decoded.pointer) >= 0 {
                defer { decoded.unref() }
                var timestamp = decoded.pointer.pointee.best_effort_timestamp
                if timestamp == runner_av_nopts_value() { timestamp = start + Int64(Double(nextSlot) / fps / timeBase) }
                let slot = Int((Double(timestamp - start) * timeBase * fps).rounded())
                if held != nil { try emit(upTo: slot) }
                held = try decoded.reference()
            }
        }

        while try input.read(into: packet) {
            defer { packet.unref() }
            let index = Int(packet.pointer.pointee.stream_index)
            if index == videoIndex {
                // A damaged packet is skipped; no picture at all fails below.
                _ = avcodec_send_packet(videoDecoder.pointer, packet.pointer)
                try receiveVideo()
            } else if index == audioFeed?.streamIndex {
                try audioFeed?.send(packet)
            }
        }
        avcodec_send_packet(videoDecoder.pointer, nil)
        try receiveVideo()
        try audioFeed?.flush()
        guard held != nil else { throw .decodingFailed(path: path, reason: "no picture could be decoded") }
        try emit(upTo: frames)
    }
}
