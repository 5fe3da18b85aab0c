import CFFmpeg

/// An owned AVCodecContext (decoder or encoder), freed when the object goes away.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws(MediaError) {
        MediaLibraries.prepare()
        guard let pointer = avcodec_alloc_context3(codec) else { throw .unavailable("memory for a codec") }
        self.pointer = pointer
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }

    /// A decoder opened for a stream's parameters.
    static func decoder(
        for stream: UnsafeMutablePointer<AVStream>, path: String, threads: Int32 = 0,
        maxPixels: Int64? = nil
    ) throws(MediaError) -> CodecContext {
        guard let parameters = stream.pointee.codecpar else {
            throw .notMedia(path: path, reason: "a stream without parameters")
        }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .notMedia(
                path: path, reason: "no decoder for \(String(cString: avcodec_get_name(parameters.pointee.codec_id)))")
        }
        let context = try CodecContext(codec: codec)
        guard avcodec_parameters_to_context(context.pointer, parameters) >= 0 else {
            throw .notMedia(path: path, reason: "unusable codec parameters")
        }
        context.pointer.pointee.pkt_timebase = stream.pointee.time_base
        context.pointer.pointee.thread_count = threads
        if let maxPixels { context.pointer.pointee.max_pixels = maxPixels }
        let status = avcodec_open2(context.pointer, codec, nil)
        guard status >= 0 else { throw .notMedia(path: path, reason: "cannot open decoder: \(avErrorText(status))") }
        return context
    }
}
