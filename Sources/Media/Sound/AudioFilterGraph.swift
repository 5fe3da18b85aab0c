import CFFmpeg

/// An audio filter graph with one source and one sink (libavfilter, as doc/examples/filtering_audio.c builds it):
/// frames pushed into `abuffer` come out of `abuffersink` through the filters of a description such as
/// `aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo`. Freed when the object goes away.
final class AudioFilterGraph {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>

    /// The format of the frames pushed in.
    struct InputFormat {
        var sampleRate: Int32
        var sampleFormat: AVSampleFormat
        /// The channel layout as FFmpeg describes it (`stereo`, `mono`, `5.1`).
        var layout: String
        var timeBase: AVRational

        /// The format of a decoder's frames.
        init(decoder: CodecContext) {
            let c = decoder.pointer
            sampleRate = c.pointee.sample_rate
            sampleFormat = c.pointee.sample_fmt
            layout = Self.describe(&c.pointee.ch_layout)
            timeBase = AVRational(num: 1, den: c.pointee.sample_rate)
        }

        /// Planar Float stereo at `rate`.
        init(stereoFloatAt rate: Int32) {
            sampleRate = rate
            sampleFormat = AV_SAMPLE_FMT_FLTP
            layout = "stereo"
            timeBase = AVRational(num: 1, den: rate)
        }

        /// A layout's description; an unspecified one (a WAV without a channel mask) by its channel count.
        static func describe(_ layout: UnsafeMutablePointer<AVChannelLayout>) -> String {
            if layout.pointee.order == AV_CHANNEL_ORDER_UNSPEC {
                var standard = AVChannelLayout()
                av_channel_layout_default(&standard, layout.pointee.nb_channels)
                defer { av_channel_layout_uninit(&standard) }
                return describe(&standard)
            }
            var text = [CChar](repeating: 0, count: 128)
            guard av_channel_layout_describe(layout, &text, text.count) > 0 else { return "stereo" }
            return String(cString: text)
        }
    }

    /// A graph of `description` fed frames of `input`; `path` names the file in errors.
    init(description: String, input: InputFormat, path: String) throws(MediaError) {
        guard let graph = avfilter_graph_alloc() else { throw .unavailable("memory for a filter graph") }
        self.graph = graph
        guard let abuffer = avfilter_get_by_name("abuffer"), let abuffersink = avfilter_get_by_name("abuffersink")
        else { throw .unavailable("libavfilter's abuffer and abuffersink") }
        let format = String(cString: av_get_sample_fmt_name(input.sampleFormat))
        let arguments =
            "time_base=\(input.timeBase.num)/\(input.timeBase.den):sample_rate=\(input.sampleRate):"
            + "sample_fmt=\(format):channel_layout=\(input.layout)"
        var source: UnsafeMutablePointer<AVFilterContext>?
        var status = avfilter_graph_create_filter(&source, abuffer, "in", arguments, nil, graph)
        guard status >= 0, let source else {
            throw .decodingFailed(path: path, reason: "cannot feed its audio to a filter: \(avErrorText(status))")
        }
        var sink: UnsafeMutablePointer<AVFilterContext>?
        status = avfilter_graph_create_filter(&sink, abuffersink, "out", nil, nil, graph)
        guard status >= 0, let sink else { throw .unavailable("libavfilter's abuffersink (\(avErrorText(status)))") }
        self.source = source
        self.sink = sink
        // The open ends of the description: its input is fed by the source, its output feeds the sink. The parse
        // links them and leaves what it did not use, freed here either way (doc/examples/filtering_audio.c).
        var outputs = avfilter_inout_alloc()
        var inputs = avfilter_inout_alloc()
        defer {
            avfilter_inout_free(&outputs)
            avfilter_inout_free(&inputs)
        }
        guard let opened = outputs, let closing = inputs else { throw .unavailable("memory for a filter graph") }
        opened.pointee.name = av_strdup("in")
        opened.pointee.filter_ctx = source
        opened.pointee.pad_idx = 0
        opened.pointee.next = nil
        closing.pointee.name = av_strdup("out")
        closing.pointee.filter_ctx = sink
        closing.pointee.pad_idx = 0
        closing.pointee.next = nil
        status = avfilter_graph_parse_ptr(graph, description, &inputs, &outputs, nil)
        guard status >= 0 else {
            throw .unavailable("the audio filters \"\(description)\" (\(avErrorText(status)))")
        }
        status = avfilter_graph_config(graph, nil)
        guard status >= 0 else {
            throw .unavailable("the audio filters \"\(description)\" (\(avErrorText(status)))")
        }
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// Pushes `frame` in (nil: the end of the input); the graph keeps its own reference.
    func push(_ frame: Frame?, path: String) throws(MediaError) {
        let status = av_buffersrc_add_frame_flags(
            source, frame?.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF))
        guard status >= 0 else { throw .decodingFailed(path: path, reason: "filtering failed: \(avErrorText(status))") }
    }

    /// Takes the next filtered frame into `frame`; false when the graph needs more input or has ended.
    func pull(into frame: Frame, path: String) throws(MediaError) -> Bool {
        frame.unref()
        let status = av_buffersink_get_frame(sink, frame.pointer)
        if status == runner_averror_eagain() || status == runner_averror_eof() { return false }
        guard status >= 0 else { throw .decodingFailed(path: path, reason: "filtering failed: \(avErrorText(status))") }
        return true
    }
}
