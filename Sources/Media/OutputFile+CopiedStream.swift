import CFFmpeg

extension OutputFile {
    /// Adds an output stream with `source`'s codec parameters and, for video, the clips' shared `geometry`
    /// (nil for audio). Call before `writeHeader`.
    @discardableResult
    func addStream(copying source: UnsafeMutablePointer<AVStream>, geometry: ClipGeometry?) throws(MediaError)
        -> UnsafeMutablePointer<AVStream>
    {
        let stream = try addStream()
        guard let target = stream.pointee.codecpar, let parameters = source.pointee.codecpar,
            avcodec_parameters_copy(target, parameters) >= 0
        else {
            throw .outputFailed(path: path, reason: "cannot copy codec parameters")
        }
        target.pointee.codec_tag = 0  // let the MP4 muxer pick the tag for its container
        stream.pointee.time_base = source.pointee.time_base
        guard let geometry else { return stream }
        // The muxer writes the pixel aspect (`pasp`) from the codec parameters and the rotation (`tkhd`
        // matrix) from the stream's side data; every clip shares both (checked before copying).
        target.pointee.sample_aspect_ratio = geometry.sampleAspect
        stream.pointee.sample_aspect_ratio = geometry.sampleAspect
        if let matrix = geometry.displayMatrix, !geometry.isIdentityRotation {
            guard let data = av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, matrix.count) else {
                throw .unavailable("memory for the display matrix")
            }
            matrix.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                data.update(from: base, count: matrix.count)
            }
        }
        return stream
    }

    /// Replaces a stream's codec extradata (e.g. an `avcC` record) by `bytes`. Call before `writeHeader`.
    func setExtradata(_ bytes: [UInt8], of stream: UnsafeMutablePointer<AVStream>) throws(MediaError) {
        guard let parameters = stream.pointee.codecpar else {
            throw .outputFailed(path: path, reason: "no codec parameters")
        }
        av_freep(&parameters.pointee.extradata)
        // FFmpeg reads extradata with padding past its end.
        guard let memory = av_mallocz(bytes.count + 64) else { throw .unavailable("memory for codec extradata") }
        let target = memory.assumingMemoryBound(to: UInt8.self)
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            target.update(from: base, count: bytes.count)
        }
        parameters.pointee.extradata = target
        parameters.pointee.extradata_size = Int32(bytes.count)
    }
}
