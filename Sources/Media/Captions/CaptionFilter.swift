import CFFmpeg

/// libavfilter's `ass` filter (libass) drawing an ASS script onto video frames, in a graph `buffer -> ass -> format
/// (yuv420p) -> buffersink` built as doc/examples/filtering_video.c builds one. The script's path and the font folder
/// are set as options of the filter, never spliced into a graph description, so no path can change the graph.
/// Freed when the object goes away.
final class CaptionFilter {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private let path: String

    /// A graph for frames like `first` (its size, pixel format and aspect, as decoded) with timestamps in `timeBase`,
    /// drawing `script`; `path` names the film in errors.
    init(first: Frame, timeBase: AVRational, script: String, fontFolder: String?, path: String) throws(MediaError) {
        self.path = path
        guard let graph = avfilter_graph_alloc() else { throw .unavailable("memory for a filter graph") }
        self.graph = graph
        guard let buffer = avfilter_get_by_name("buffer"), let buffersink = avfilter_get_by_name("buffersink"),
            let ass = avfilter_get_by_name("ass"), let format = avfilter_get_by_name("format")
        else { throw .unavailable("libavfilter's ass filter (libass)") }
        let f = first.pointer.pointee
        let aspect = f.sample_aspect_ratio.num > 0 ? f.sample_aspect_ratio : AVRational(num: 1, den: 1)
        let arguments =
            "video_size=\(f.width)x\(f.height):pix_fmt=\(f.format):"
            + "time_base=\(timeBase.num)/\(timeBase.den):pixel_aspect=\(aspect.num)/\(aspect.den)"
        var made: UnsafeMutablePointer<AVFilterContext>?
        var status = avfilter_graph_create_filter(&made, buffer, "in", arguments, nil, graph)
        guard status >= 0, let source = made else { throw Self.failure("the frame source", status, path) }
        self.source = source
        made = nil
        status = avfilter_graph_create_filter(&made, buffersink, "out", nil, nil, graph)
        guard status >= 0, let sink = made else { throw Self.failure("the frame sink", status, path) }
        self.sink = sink
        guard let draw = avfilter_graph_alloc_filter(graph, ass, "captions") else {
            throw .unavailable("memory for the ass filter")
        }
        status = av_opt_set(draw, "filename", script, AV_OPT_SEARCH_CHILDREN)
        if status >= 0, let fontFolder { status = av_opt_set(draw, "fontsdir", fontFolder, AV_OPT_SEARCH_CHILDREN) }
        if status >= 0 { status = avfilter_init_str(draw, nil) }
        guard status >= 0 else { throw Self.failure("libass with the captions", status, path) }
        made = nil
        status = avfilter_graph_create_filter(&made, format, "yuv420p", "pix_fmts=yuv420p", nil, graph)
        guard status >= 0, let convert = made else { throw Self.failure("the pixel format", status, path) }
        for (from, to) in [(source, draw), (draw, convert), (convert, sink)] {
            status = avfilter_link(from, 0, to, 0)
            guard status >= 0 else { throw Self.failure("the filter links", status, path) }
        }
        status = avfilter_graph_config(graph, nil)
        guard status >= 0 else { throw Self.failure("the filter graph", status, path) }
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// Pushes `frame` in (nil: the end of the film); the frame's buffers are taken.
    func push(_ frame: Frame?) throws(MediaError) {
        let status = av_buffersrc_add_frame(source, frame?.pointer)
        guard status >= 0 else { throw Self.failure("drawing a frame", status, path) }
    }

    /// The next drawn frame into `frame`, or false when none is ready (or the end was reached).
    func pull(into frame: Frame) throws(MediaError) -> Bool {
        let status = av_buffersink_get_frame(sink, frame.pointer)
        if status == runner_averror_eagain() || status == runner_averror_eof() { return false }
        guard status >= 0 else { throw Self.failure("drawing a frame", status, path) }
        return true
    }

    private static func failure(_ what: String, _ status: Int32, _ path: String) -> MediaError {
        .outputFailed(path: path, reason: "cannot set up \(what) to burn captions: \(avErrorText(status))")
    }
}
