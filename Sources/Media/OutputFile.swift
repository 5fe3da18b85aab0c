import CFFmpeg
import Foundation

/// A muxer writing to a temporary file next to the destination, renamed onto it only by `finish()`;
/// if the object goes away unfinished, the temporary file is deleted, so no half-written output remains.
final class OutputFile {
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The path the caller asked for.
    let path: String
    /// Where bytes go until `finish()`.
    let temporaryPath: String
    private var headerWritten = false
    private var finished = false
    /// Ticks added to each stream's packet times (by output stream index; `MatroskaCodecDelay`).
    private var leads: [Int32: Int64] = [:]

    /// Creates the muxer for `format` ("mp4", "webm"); `bitexact` keeps library versions out of the bytes.
    init(path: String, format: String, bitexact: Bool = false) throws(MediaError) {
        MediaLibraries.prepare()
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .outputFailed(path: path, reason: "the folder '\(folder)' does not exist")
        }
        self.path = path
        temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)").path
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&allocated, nil, format, temporaryPath)
        guard status >= 0, let context = allocated else {
            throw .unavailable("the \(format) muxer (\(avErrorText(status)))")
        }
        self.context = context
        if bitexact { context.pointee.flags |= runner_fmt_flag_bitexact() }
        let opened = avio_open(&context.pointee.pb, temporaryPath, runner_avio_flag_write())
        guard opened >= 0 else { throw .outputFailed(path: path, reason: avErrorText(opened)) }
    }

    deinit {
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
        if !finished { unlink(temporaryPath) }
    }

    /// True when codecs must put their headers in extradata (MP4, WebM).
    var needsGlobalHeader: Bool {
        guard let format = context.pointee.oformat else { return false }
        return (format.pointee.flags & runner_fmt_globalheader()) != 0
    }

    func addStream() throws(MediaError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else { throw .unavailable("memory for a stream") }
        return stream
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < Int(context.pointee.nb_streams) else { return nil }
        return context.pointee.streams?[index]
    }

    /// Writes the header; `faststart` asks the MP4 muxer to move `moov` to the front at the end.
    func writeHeader(faststart: Bool) throws(MediaError) {
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if faststart { av_dict_set(&options, "movflags", "+faststart", 0) }
        let status = avformat_write_header(context, &options)
        guard status >= 0 else {
            throw .outputFailed(path: path, reason: "cannot start the file: \(avErrorText(status))")
        }
        headerWritten = true
        // The muxer has set each stream's time base by now.
        let muxer = context.pointee.oformat.map { String(cString: $0.pointee.name) } ?? ""
        for index in 0..<Int(context.pointee.nb_streams) {
            guard let stream = self.stream(index) else { continue }
            let lead = MatroskaCodecDelay.lead(of: stream, muxer: muxer)
            if lead != 0 { leads[Int32(index)] = lead }
        }
    }

    /// Writes one packet (timestamps already in the output stream's time base), interleaving by DTS.
    /// Opus packets bound for a Matroska muxer that cannot hold their priming before 0 are moved by its delay
    /// (`MatroskaCodecDelay`), so that the muxer never moves the film.
    func write(_ packet: Packet) throws(MediaError) {
        if let lead = leads[packet.pointer.pointee.stream_index] {
            let p = packet.pointer
            if p.pointee.pts != runner_av_nopts_value() { p.pointee.pts += lead }
            if p.pointee.dts != runner_av_nopts_value() { p.pointee.dts += lead }
        }
        let status = av_interleaved_write_frame(context, packet.pointer)
        guard status >= 0 else { throw .outputFailed(path: path, reason: avErrorText(status)) }
    }

    /// Writes the trailer, closes the file and renames it onto `path`.
    func finish() throws(MediaError) {
        guard headerWritten else { throw .outputFailed(path: path, reason: "nothing was written") }
        let status = av_write_trailer(context)
        guard status >= 0 else { throw .outputFailed(path: path, reason: avErrorText(status)) }
        let closed = avio_closep(&context.pointee.pb)
        guard closed >= 0 else { throw .outputFailed(path: path, reason: avErrorText(closed)) }
        guard rename(temporaryPath, path) == 0 else {
            throw .outputFailed(path: path, reason: String(cString: strerror(errno)))
        }
        finished = true
    }
}
