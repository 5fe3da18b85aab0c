import CFFmpeg

/// Writes the video of a join merge clip by clip (`JoinMerger`): copies the packets of a clip's copied groups of
/// pictures, decodes the rest, draws the transitions over the overlapping frames, and encodes the decoded frames
/// in spans (one `SpanEncoder` each, flushed before the next copied packet). Holds only the frames of one
/// transition between clips.
final class JoinWriter {
    private let out: OutputFile
    /// The clips' time base, and the film's (the muxer may choose another).
    private let timeBase: AVRational
    private let outputTimeBase: AVRational
    private let frameTicks: Int64
    private let makeEncoder: () throws(MediaError) -> SpanEncoder
    private var encoder: SpanEncoder?
    private var lastDTS = Int64.min
    /// Packets whose decode time was nudged to keep it rising across a join.
    private(set) var adjustments = 0
    /// The previous clip's last frames, to be drawn under this clip's first ones.
    private var held: [Frame] = []

    init(
        out: OutputFile, timeBase: AVRational, outputTimeBase: AVRational, frameTicks: Int64,
        makeEncoder: @escaping () throws(MediaError) -> SpanEncoder
    ) {
        self.out = out
        self.timeBase = timeBase
        self.outputTimeBase = outputTimeBase
        self.frameTicks = frameTicks
        self.makeEncoder = makeEncoder
    }

    /// Appends the clip at `path`, which starts at film frame `filmStart`; its first `overlapBefore` frames are
    /// drawn as `kindBefore` over the previous clip's last frames, and its last `overlapAfter` frames are held for
    /// the next clip. Its sound goes to `audio`.
    func append(
        _ path: String, pictures: ClipPictures, parts: JoinLayout.ClipParts, filmStart: Int,
        overlapBefore: Int, overlapAfter: Int, kindBefore: Transition.Kind, audio: AudioTimeline?,
        shouldStop: (@Sendable () -> Bool)?
    ) throws(MediaError) {
        let input = try InputFile(path: path, probing: .whenNeeded)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(videoIndex) else {
            throw .noVideoStream(path: path)
        }
        let audioFeed = try audio.flatMap { (audio) throws(MediaError) in
            try ClipAudioFeed(input: input, audio: audio, videoStart: pictures.firstPTS, videoTimeBase: timeBase)
        }
        let decoder = try CodecContext.decoder(for: stream, path: path)
        let decoded = try Frame()
        let packet = try Packet()
        let count = pictures.frameCount
        func packetNumber(ofGroupAt frame: Int) -> Int {
            pictures.groupStarts.firstIndex(of: frame).map { pictures.groupPackets[$0] } ?? Int.max
        }
        let copyFrom = parts.copies ? packetNumber(ofGroupAt: parts.headEnd) : Int.max
        let copyTo = parts.copies ? packetNumber(ofGroupAt: parts.tailStart) : Int.max
        var tail: [Frame] = []

        func receive() throws(MediaError) {
            while avcodec_receive_frame(decoder.pointer, decoded.pointer) >= 0 {
                defer { decoded.unref() }
                let timestamp = decoded.pointer.pointee.best_effort_timestamp
                let frame = Int((timestamp - pictures.firstPTS) / frameTicks)
                guard timestamp != runner_av_nopts_value(), (0..<count).contains(frame) else {
                    throw .decodingFailed(path: path, reason: "a decoded picture has no place in the clip")
                }
                if frame < overlapBefore, frame < held.count {
                    try decoded.makeWritable()
                    TransitionPicture.draw(
                        kindBefore, earlier: held[frame], into: decoded, step: frame, count: overlapBefore)
                } else if frame >= count - overlapAfter {
                    tail.append(try decoded.reference())
                    continue
                }
                decoded.pointer.pointee.pts = Int64(filmStart + frame) * frameTicks
                decoded.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
                try encode(decoded)
            }
        }

        var number = 0
        var decoding = false
        while try input.read(into: packet) {
            defer { packet.unref() }
            let index = Int(packet.pointer.pointee.stream_index)
            if index == audioFeed?.streamIndex {
                try audioFeed?.send(packet)
                continue
            }
            guard index == videoIndex else { continue }
            defer { number += 1 }
            if number % 64 == 0, shouldStop?() == true { throw .cancelled(path: out.path) }
            if number >= copyFrom, number < copyTo {
                if decoding {
                    // The head's last pictures, then a clean decoder for the tail.
                    avcodec_send_packet(decoder.pointer, nil)
                    try receive()
                    avcodec_flush_buffers(decoder.pointer)
                    decoding = false
                }
                try closeSpan()
                try copy(packet, shift: Int64(filmStart) * frameTicks - pictures.firstPTS)
            } else {
                decoding = true
                // A damaged packet is skipped; a missing picture fails in `receive`.
                _ = avcodec_send_packet(decoder.pointer, packet.pointer)
                try receive()
            }
        }
        if decoding {
            avcodec_send_packet(decoder.pointer, nil)
            try receive()
        }
        try audioFeed?.flush()
        guard tail.count == overlapAfter, !(overlapBefore > 0 && held.count != overlapBefore) else {
            throw .decodingFailed(path: path, reason: "the frames around a transition could not all be decoded")
        }
        held = tail
    }

    /// Flushes the last span.
    func finish() throws(MediaError) { try closeSpan() }

    private func encode(_ frame: Frame) throws(MediaError) {
        if encoder == nil { encoder = try makeEncoder() }
        try encoder?.encode(frame) { (packet) throws(MediaError) in try write(packet) }
    }

    /// Ends the open span (its last pictures are written), so the next packet may be a copied keyframe.
    private func closeSpan() throws(MediaError) {
        guard let encoder else { return }
        try encoder.encode(nil) { (packet) throws(MediaError) in try write(packet) }
        self.encoder = nil
    }

    /// Writes a clip's packet moved by `shift` (clip time base) to its place in the film.
    private func copy(_ packet: Packet, shift: Int64) throws(MediaError) {
        let p = packet.pointer
        let noValue = runner_av_nopts_value()
        if p.pointee.pts != noValue { p.pointee.pts += shift }
        if p.pointee.dts != noValue { p.pointee.dts += shift } else { p.pointee.dts = p.pointee.pts }
        p.pointee.flags &= ~Int32(0x0004)  // a discard flag only told the demuxer what the clip's edit list hid
        try write(packet)
    }

    /// Writes a video packet timed in the clips' time base, keeping decode times strictly rising across joins.
    private func write(_ packet: Packet) throws(MediaError) {
        let p = packet.pointer
        // libx264 leaves durations out; the film's last picture needs one to be shown its full time.
        if p.pointee.duration <= 0 { p.pointee.duration = frameTicks }
        av_packet_rescale_ts(p, timeBase, outputTimeBase)
        if p.pointee.dts <= lastDTS {
            p.pointee.dts = lastDTS + 1
            adjustments += 1
        }
        if p.pointee.pts < p.pointee.dts { p.pointee.pts = p.pointee.dts }
        lastDTS = p.pointee.dts
        p.pointee.stream_index = 0
        p.pointee.pos = -1
        try out.write(packet)
    }
}
