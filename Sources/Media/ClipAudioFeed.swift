import CFFmpeg

/// Decodes one clip's audio stream into an `AudioTimeline`, placed against the clip's first shown video frame:
/// silence before audio that starts late, and nothing of audio from before the picture starts.
final class ClipAudioFeed {
    /// The input stream this feed takes packets of.
    let streamIndex: Int
    private let decoder: CodecContext
    private let converter: SampleConverter
    private let audio: AudioTimeline
    private let stream: UnsafeMutablePointer<AVStream>
    /// The clip's first shown video instant, in samples at the timeline's rate.
    private let videoStartSamples: Int64
    private let decoded: Frame
    private var placed = false

    /// A feed for `input`'s best audio stream, or nil when it has none. `videoStart` is the first shown frame's time
    /// in `videoTimeBase`.
    init?(input: InputFile, audio: AudioTimeline, videoStart: Int64, videoTimeBase: AVRational) throws(MediaError) {
        guard let index = input.bestStream(AVMEDIA_TYPE_AUDIO), let stream = input.stream(index) else { return nil }
        streamIndex = index
        self.stream = stream
        self.audio = audio
        decoder = try CodecContext.decoder(for: stream, path: input.path)
        converter = SampleConverter(channels: audio.channels, rate: audio.rate)
        videoStartSamples = av_rescale_q(videoStart, videoTimeBase, AVRational(num: 1, den: Int32(audio.rate)))
        decoded = try Frame()
    }

    /// Decodes one packet of the stream (a damaged packet is skipped) and lays what it gives.
    func send(_ packet: Packet) throws(MediaError) {
        _ = avcodec_send_packet(decoder.pointer, packet.pointer)
        try receive()
    }

    /// Drains the decoder at the end of the clip.
    func flush() throws(MediaError) {
        avcodec_send_packet(decoder.pointer, nil)
        try receive()
    }

    private func receive() throws(MediaError) {
        while avcodec_receive_frame(decoder.pointer, decoded.pointer) >= 0 {
            defer { decoded.unref() }
            var planes = converter.convert(decoded)
            if !placed {
                placed = true
                let timestamp = decoded.pointer.pointee.best_effort_timestamp
                if timestamp != runner_av_nopts_value() {
                    let samples = AVRational(num: 1, den: Int32(audio.rate))
                    let lead = av_rescale_q(timestamp, stream.pointee.time_base, samples) - videoStartSamples
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
}
