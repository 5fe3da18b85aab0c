import CFFmpeg
import Foundation

/// A file's audio, decoded and resampled to 48 kHz stereo planar Float (`aresample`, `aformat`), read in order in
/// pieces of any size. The decoder drops an encoder's priming (AAC's edit list or skip samples), so the first sample
/// read is the first sample meant to be heard.
final class AudioReader {
    let path: String
    private let input: InputFile
    private let streamIndex: Int32
    private let decoder: CodecContext
    private let graph: AudioFilterGraph
    private let packet: Packet
    private let decoded: Frame
    private let filtered: Frame
    private var pending = StereoSamples()
    private var inputEnded = false
    private var graphEnded = false
    /// Samples of silence still to give before the first decoded one (a stream that starts late on the timeline).
    private var leadingSilence = 0

    /// Opens the best audio stream of `path`; throws `MediaError` when the file is not media or has no audio.
    /// `onTimeline`: a stream that starts after its file's start is preceded by that much silence (a film's sound);
    /// otherwise it is read from its first sample (music, a voice line).
    init(path: String, onTimeline: Bool = false) throws(MediaError) {
        self.path = path
        input = try InputFile(path: path, probing: .whenNeeded)
        guard let index = input.bestStream(AVMEDIA_TYPE_AUDIO), let stream = input.stream(index) else {
            throw .notMedia(path: path, reason: "it has no audio stream")
        }
        // Other streams are not read: the demuxer skips their packets.
        for other in 0..<input.streamCount where other != index { input.stream(other)?.pointee.discard = AVDISCARD_ALL }
        streamIndex = Int32(index)
        decoder = try CodecContext.decoder(for: stream, path: path, threads: 1)
        let rate = StereoSamples.rate
        graph = try AudioFilterGraph(
            description: "aresample=\(rate),aformat=sample_fmts=fltp:channel_layouts=stereo",
            input: .init(decoder: decoder), path: path)
        packet = try Packet()
        decoded = try Frame()
        filtered = try Frame()
        if onTimeline {
            let start = stream.pointee.start_time
            let fileStart = input.context.pointee.start_time
            if start != runner_av_nopts_value(), start > 0 {
                let seconds = Double(start) * av_q2d(stream.pointee.time_base)
                let origin = fileStart == runner_av_nopts_value() ? 0 : Double(fileStart) / Double(AV_TIME_BASE)
                leadingSilence = max(0, Int(((seconds - origin) * Double(rate)).rounded()))
            }
        }
    }

    /// Whether every sample has been read.
    var isFinished: Bool { graphEnded && pending.count == 0 && leadingSilence == 0 }

    /// The next `count` samples, fewer only at the end of the stream.
    func read(_ count: Int) throws(MediaError) -> StereoSamples {
        if leadingSilence > 0 {
            let silent = min(leadingSilence, count)
            leadingSilence -= silent
            var samples = StereoSamples.silence(silent)
            if silent < count {
                let rest = try read(count - silent)
                samples.left += rest.left
                samples.right += rest.right
            }
            return samples
        }
        while pending.count < count, !graphEnded { try decodeMore() }
        return pending.take(count)
    }

    /// Decodes one more packet's worth (or drains the decoder and the graph at the end of the file).
    private func decodeMore() throws(MediaError) {
        if inputEnded {
            try drainGraph()
            graphEnded = true
            return
        }
        guard try input.read(into: packet) else {
            inputEnded = true
            let status = avcodec_send_packet(decoder.pointer, nil)
            guard status >= 0 || status == runner_averror_eof() else {
                throw .decodingFailed(path: path, reason: avErrorText(status))
            }
            try receiveFrames()
            try graph.push(nil, path: path)
            return
        }
        defer { packet.unref() }
        guard packet.pointer.pointee.stream_index == streamIndex else { return }
        let status = avcodec_send_packet(decoder.pointer, packet.pointer)
        // A damaged packet is skipped, as players do; a file that cannot be decoded at all fails at its end.
        guard status >= 0 || status == runner_averror(EINVAL) || status == runner_averror_eagain() else {
            if status == runner_averror(ENOMEM) { throw .unavailable("memory to decode audio") }
            return
        }
        try receiveFrames()
    }

    private func receiveFrames() throws(MediaError) {
        while true {
            let status = avcodec_receive_frame(decoder.pointer, decoded.pointer)
            if status == runner_averror_eagain() || status == runner_averror_eof() { break }
            guard status >= 0 else { throw .decodingFailed(path: path, reason: avErrorText(status)) }
            // The graph counts samples from its own start: pts are not needed for a stream read in order.
            decoded.pointer.pointee.pts = runner_av_nopts_value()
            try graph.push(decoded, path: path)
            decoded.unref()
        }
        try drainGraph()
    }

    private func drainGraph() throws(MediaError) {
        while try graph.pull(into: filtered, path: path) {
            pending.append(planarStereo: filtered)
        }
    }
}
