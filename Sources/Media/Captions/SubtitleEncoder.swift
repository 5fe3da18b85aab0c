import CFFmpeg

/// FFmpeg's mov_text (MP4) or webvtt (WebM) encoder feeding one subtitle stream of an `OutputFile`, one caption per
/// packet, as `ffmpeg` encodes subtitles (`avcodec_encode_subtitle` of an `AVSubtitle` holding one ASS event).
final class SubtitleEncoder {
    let codec: CodecContext
    let stream: UnsafeMutablePointer<AVStream>
    private let output: OutputFile
    private let format: OutputFormat
    private var order = 0
    /// Room for the largest caption (`Caption.maximumTextBytes`, escaped) with the format's own bytes around it.
    private var buffer = [UInt8](repeating: 0, count: 8 * Caption.maximumTextBytes + 1024)

    /// The header the encoders read their default style from: FFmpeg's own default (`ff_ass_subtitle_header_default`:
    /// 384 by 288, 16 pixels, bottom centre), the one `ffmpeg` gives them when it converts SubRip.
    static let header = ASSScript(
        width: 384, height: 288,
        style: CaptionStyle(fontName: "Arial", fontFolder: nil, size: 16, position: .bottom, outline: 1)
    ).header

    /// Adds the stream, tagged with `language` (ISO 639-2), before `OutputFile.writeHeader`.
    init(output: OutputFile, format: OutputFormat, language: String) throws(MediaError) {
        let name = format == .mp4 ? "mov_text" : "webvtt"
        guard let encoder = avcodec_find_encoder_by_name(name) else { throw .unavailable("the \(name) encoder") }
        codec = try CodecContext(codec: encoder)
        let c = codec.pointer
        c.pointee.time_base = AVRational(num: 1, den: 1000)
        let header = Array(Self.header.utf8) + [0]
        guard let copy = av_malloc(header.count) else { throw .unavailable("memory for a subtitle header") }
        header.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
        }
        c.pointee.subtitle_header = copy.assumingMemoryBound(to: UInt8.self)
        c.pointee.subtitle_header_size = Int32(header.count - 1)
        let opened = avcodec_open2(c, encoder, nil)
        guard opened >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot open the \(name) encoder: \(avErrorText(opened))")
        }
        stream = try output.addStream()
        guard avcodec_parameters_from_context(stream.pointee.codecpar, c) >= 0 else {
            throw .outputFailed(path: output.path, reason: "cannot set the subtitle stream's parameters")
        }
        stream.pointee.time_base = c.pointee.time_base
        av_dict_set(&stream.pointee.metadata, "language", language, 0)
        self.output = output
        self.format = format
    }

    /// Encodes and writes `caption`; its times are milliseconds of the film.
    func write(_ caption: Caption) throws(MediaError) {
        let payload = format == .webm ? CaptionMarkup.webVTT(caption.text) : caption.text
        let event = ASSScript.encoderEvent(order: order, text: CaptionMarkup.encoderEvent(payload))
        order += 1
        var subtitle = AVSubtitle()
        subtitle.format = 1  // text
        subtitle.pts = caption.start * 1000  // AV_TIME_BASE
        subtitle.start_display_time = 0
        subtitle.end_display_time = UInt32(clamping: caption.end - caption.start)
        defer { avsubtitle_free(&subtitle) }
        guard let rects = av_calloc(1, MemoryLayout<UnsafeMutablePointer<AVSubtitleRect>?>.stride),
            let rect = av_mallocz(MemoryLayout<AVSubtitleRect>.stride)
        else { throw .unavailable("memory for a subtitle") }
        let rectPointer = rect.assumingMemoryBound(to: AVSubtitleRect.self)
        rectPointer.pointee.type = SUBTITLE_ASS
        rectPointer.pointee.ass = av_strdup(event)
        rects.assumingMemoryBound(to: UnsafeMutablePointer<AVSubtitleRect>?.self).pointee = rectPointer
        subtitle.rects = rects.assumingMemoryBound(to: UnsafeMutablePointer<AVSubtitleRect>?.self)
        subtitle.num_rects = 1
        let size = buffer.withUnsafeMutableBufferPointer { bytes in
            avcodec_encode_subtitle(codec.pointer, bytes.baseAddress, Int32(bytes.count), &subtitle)
        }
        guard size > 0 else {
            throw .outputFailed(
                path: output.path,
                reason: "the caption at \(Double(caption.start) / 1000) s could not be encoded: \(avErrorText(size))")
        }
        let packet = try Packet()
        guard av_new_packet(packet.pointer, size) >= 0 else { throw .unavailable("memory for a subtitle packet") }
        buffer.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { packet.pointer.pointee.data.update(from: base, count: Int(size)) }
        }
        let milliseconds = AVRational(num: 1, den: 1000)
        packet.pointer.pointee.pts = av_rescale_q(caption.start, milliseconds, stream.pointee.time_base)
        packet.pointer.pointee.dts = packet.pointer.pointee.pts
        packet.pointer.pointee.duration = av_rescale_q(
            caption.end - caption.start, milliseconds, stream.pointee.time_base)
        packet.pointer.pointee.stream_index = stream.pointee.index
        try output.write(packet)
    }
}
