import CFFmpeg
import Foundation

/// An opened media file (demuxer); closed when the object goes away.
final class InputFile {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String

    /// How much to probe after reading the header.
    enum Probing {
        /// Always decode a little to learn every parameter (as ffprobe does).
        case full
        /// Only when the header leaves a size, rate or sample format unknown (MP4 headers usually say all).
        case whenNeeded
        /// Never (still images).
        case none
    }

    /// Opens `path` and reads its stream parameters as `probing` says.
    init(path: String, probing: Probing = .full) throws(MediaError) {
        MediaLibraries.prepare()
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_open_input(&opened, path, nil, nil)
        guard status >= 0, let context = opened else {
            throw MediaError.notMedia(path: path, reason: avErrorText(status))
        }
        self.context = context
        self.path = path
        if probing == .full || (probing == .whenNeeded && headerIsIncomplete) {
            let info = avformat_find_stream_info(context, nil)
            guard info >= 0 else { throw MediaError.notMedia(path: path, reason: avErrorText(info)) }
        }
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&pointer)
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < streamCount else { return nil }
        return context.pointee.streams?[index]
    }

    /// The index of the best stream of a kind, or nil.
    func bestStream(_ type: AVMediaType) -> Int? {
        let index = av_find_best_stream(context, type, -1, -1, nil, 0)
        return index >= 0 ? Int(index) : nil
    }

    /// Reads the next packet into `packet`; false at end of file, throws on a read error.
    func read(into packet: Packet) throws(MediaError) -> Bool {
        let status = av_read_frame(context, packet.pointer)
        if status == runner_averror_eof() { return false }
        guard status >= 0 else { throw .truncated(path: path, reason: avErrorText(status)) }
        return true
    }

    /// True when some stream's codec, size, frame rate or audio format is still unknown.
    private var headerIsIncomplete: Bool {
        guard streamCount > 0 else { return true }
        for index in 0..<streamCount {
            guard let stream = stream(index), let parameters = stream.pointee.codecpar else { return true }
            let p = parameters.pointee
            if p.codec_id == AV_CODEC_ID_NONE { return true }
            switch p.codec_type {
            case AVMEDIA_TYPE_VIDEO:
                if p.width <= 0 || p.height <= 0 || stream.pointee.avg_frame_rate.num <= 0 { return true }
            case AVMEDIA_TYPE_AUDIO:
                if p.sample_rate <= 0 || p.ch_layout.nb_channels <= 0 { return true }
            default: break
            }
        }
        return false
    }

    /// Size of the file in bytes as the demuxer sees it, or nil when unknown.
    var byteSize: Int64? {
        guard let io = context.pointee.pb else { return nil }
        let size = avio_size(io)
        return size > 0 ? size : nil
    }
}
