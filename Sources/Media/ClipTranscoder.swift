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
        var audioIndex: Int?
        var audioDecoder: CodecContext?
        var converter: SampleConverter?
        if let audio, let index = input.bestStream(AVMEDIA_TYPE_AUDIO), let stream = input.stream(index) {
            audioIndex = index
            audioDecoder = try CodecContext.decoder(for: stream, path: path)
            converter = SampleConverter(channels: audio.channels, rate: audio.rate)
        }
        let timeBase = av_q2d(videoStream.pointee.time_base)
        let start =
            timeline?.videoStartTicks
            ?? (videoStream.pointee.start_time != runner_av_nopts_value() ? videoStream.pointee.start_time : 0)
        var audioStream: UnsafeMutablePointer<AVStream>?
        if let audioIndex { audioStream = input.stream(audioIndex) }
        var audioPlaced = false
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

        func receiveAudio() throws(MediaError) {
            guard let audioDecoder, let converter, let audio else { return }
            while avcodec_receive_frame(audioDecoder.pointer, decoded.pointer) >= 0 {
                defer { decoded.unref() }
                var planes = converter.convert(decoded)
                if !audioPlaced {
                    // Place the first sound where it belongs against the first shown frame: silence before
                    // audio that starts late, and nothing of audio from before the picture starts.
                    audioPlaced = true
                    let timestamp = decoded.pointer.pointee.best_effort_timestamp
                    if let audioStream, timestamp != runner_av_nopts_value() {
                        let samples = AVRational(num: 1, den: Int32(audio.rate))
                        let lead =
                            av_rescale_q(timestamp, audioStream.pointee.time_base, samples)
                            - av_rescale_q(start, videoStream.pointee.time_base, samples)
                        if lead > 0 {
                            try audio.push(
                                Array(repeating: [Float](repeating: 0, count: Int(lead)), count: audio.channels))
                        } else if lead < 0 {
                            planes = planes.map { Array($0.dropFirst(Int(-lead))) }
                        }
                    }
                }
                try audio.push(planes)
            }
        }

        while try input.read(into: packet) {
            defer { packet.unref() }
            let index = Int(packet.pointer.pointee.stream_index)
            if index == videoIndex {
                // A damaged packet is skipped; no picture at all fails below.
                _ = avcodec_send_packet(videoDecoder.pointer, packet.pointer)
                try receiveVideo()
            } else if index == audioIndex, let audioDecoder {
                _ = avcodec_send_packet(audioDecoder.pointer, packet.pointer)  // a damaged audio packet is skipped
                try receiveAudio()
            }
        }
        avcodec_send_packet(videoDecoder.pointer, nil)
        try receiveVideo()
        if let audioDecoder {
            avcodec_send_packet(audioDecoder.pointer, nil)
            try receiveAudio()
        }
        guard held != nil else { throw .decodingFailed(path: path, reason: "no picture could be decoded") }
        try emit(upTo: frames)
    }
}
