import CFFmpeg
import Foundation

/// Burns captions into a film's picture: decode, draw (`CaptionFilter`), encode again at the film's size and frame
/// rate; sound and subtitle tracks copied, chapters kept.
struct CaptionBurner {
    let input: InputFile
    let output: String
    let format: OutputFormat
    let shouldStop: (@Sendable () -> Bool)?

    func burn(_ captions: [Caption], style: CaptionStyle) throws(MediaError) {
        let film = input.path
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let video = input.stream(videoIndex) else {
            throw .noVideoStream(path: film)
        }
        let geometry = ClipGeometry(input, stream: video)
        guard geometry.isPlain else {
            throw .invalidOption(
                "'\(film)' is \(geometry.isIdentityRotation ? "stored with non-square pixels" : "stored turned") "
                    + "(shown \(geometry.displayWidth)x\(geometry.displayHeight)): burned captions would be drawn "
                    + "sideways or squeezed. Merge its clips with `mode: reencode`, which makes an upright film.")
        }
        let decoder = try CodecContext.decoder(for: video, path: film)
        let width = geometry.width
        let height = geometry.height
        let script = URL(fileURLWithPath: output).deletingLastPathComponent()
            .appendingPathComponent(".captions-\(UUID().uuidString).ass").path
        let document = ASSScript(width: width, height: height, style: style).document(captions)
        guard FileManager.default.createFile(atPath: script, contents: Data(document.utf8)) else {
            throw .outputFailed(path: script, reason: "cannot write the captions script")
        }
        defer { unlink(script) }
        // The graph is made for the first decoded frame: its pixel format is known only once one is decoded.
        var filter: CaptionFilter?
        let out = try OutputFile(path: output, format: format.rawValue)
        let rate = Self.frameRate(of: video)
        let encoder = try VideoEncoder(
            output: out, format: format, width: width, height: height, frameRate: rate,
            crf: format == .mp4 ? FilmCaptions.h264Quality : FilmCaptions.vp9Quality, preset: "medium", threads: 0)
        av_dict_copy(&encoder.stream.pointee.metadata, video.pointee.metadata, 0)
        let copy = try StreamCopy(from: input, to: out) { $0 == AVMEDIA_TYPE_AUDIO || $0 == AVMEDIA_TYPE_SUBTITLE }
        try out.writeHeader(faststart: format == .mp4)
        var frames = FrameNumbering(timeBase: video.pointee.time_base, rate: rate)
        let packet = try Packet()
        let decoded = try Frame()
        let drawn = try Frame()
        func drain() throws(MediaError) {
            while avcodec_receive_frame(decoder.pointer, decoded.pointer) >= 0 {
                // Frames an edit list hides before the film's start are not shown, so not kept.
                guard decoded.pointer.pointee.best_effort_timestamp >= 0 else {
                    decoded.unref()
                    continue
                }
                decoded.pointer.pointee.pts = decoded.pointer.pointee.best_effort_timestamp
                let graph: CaptionFilter
                if let filter {
                    graph = filter
                } else {
                    graph = try CaptionFilter(
                        first: decoded, timeBase: video.pointee.time_base, script: script,
                        fontFolder: style.fontFolder, path: film)
                    filter = graph
                }
                try graph.push(decoded)
                try encodeDrawn(graph)
            }
        }
        func encodeDrawn(_ filter: CaptionFilter) throws(MediaError) {
            while try filter.pull(into: drawn) {
                drawn.pointer.pointee.pts = frames.number(for: drawn.pointer.pointee.pts)
                drawn.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
                try encoder.encode(drawn)
                drawn.unref()
            }
        }
        while try input.read(into: packet) {
            if shouldStop?() == true { throw .cancelled(path: output) }
            if Int(packet.pointer.pointee.stream_index) == videoIndex {
                let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
                packet.unref()
                guard sent >= 0 || sent == runner_averror_eagain() else {
                    throw .decodingFailed(path: film, reason: avErrorText(sent))
                }
                try drain()
            } else if try !copy.write(packet) {
                packet.unref()
            }
        }
        avcodec_send_packet(decoder.pointer, nil)
        try drain()
        if let filter {
            try filter.push(nil)
            try encodeDrawn(filter)
        }
        try encoder.encode(nil)
        try out.finish()
    }

    /// The film's frame rate (its average, else its base rate, else 24).
    static func frameRate(of stream: UnsafeMutablePointer<AVStream>) -> AVRational {
        let average = stream.pointee.avg_frame_rate
        if average.num > 0, average.den > 0 { return average }
        let base = stream.pointee.r_frame_rate
        return base.num > 0 && base.den > 0 ? base : AVRational(num: 24, den: 1)
    }
}

/// Frame numbers for the encoder (which counts time in frames) from the film's timestamps: the nearest frame, and
/// always after the previous one, so a film with uneven timestamps still encodes in order.
struct FrameNumbering {
    let timeBase: AVRational
    let rate: AVRational
    private var last: Int64 = -1

    init(timeBase: AVRational, rate: AVRational) {
        self.timeBase = timeBase
        self.rate = rate
    }

    mutating func number(for timestamp: Int64) -> Int64 {
        let frameTime = AVRational(num: rate.den, den: rate.num)
        let nearest = av_rescale_q_rnd(
            timestamp, timeBase, frameTime,
            AVRounding(rawValue: AV_ROUND_NEAR_INF.rawValue | AV_ROUND_PASS_MINMAX.rawValue))
        last = max(nearest, last + 1)
        return last
    }
}
