import CFFmpeg

/// Input streams copied into an output as they are (no decoding): codec parameters, time base, language and
/// disposition, side data (a display matrix), the pixel aspect; and the film's chapters. Packets are rescaled to
/// their output stream's time base as they pass.
final class StreamCopy {
    private let input: InputFile
    private let output: OutputFile
    /// Output stream for each input stream index, nil for streams not copied.
    private var targets: [UnsafeMutablePointer<AVStream>?]

    /// Adds an output stream for each input stream `copies` accepts, in input order; call before the header.
    init(from input: InputFile, to output: OutputFile, copies: (AVMediaType) -> Bool) throws(MediaError) {
        self.input = input
        self.output = output
        targets = Array(repeating: nil, count: input.streamCount)
        for index in 0..<input.streamCount {
            guard let source = input.stream(index), let parameters = source.pointee.codecpar,
                copies(parameters.pointee.codec_type)
            else { continue }
            let stream = try output.addStream()
            guard let target = stream.pointee.codecpar, avcodec_parameters_copy(target, parameters) >= 0 else {
                throw .outputFailed(path: output.path, reason: "cannot copy the codec parameters of stream \(index)")
            }
            target.pointee.codec_tag = 0  // the muxer picks the tag for its container
            stream.pointee.time_base = source.pointee.time_base
            stream.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
            stream.pointee.disposition = source.pointee.disposition
            av_dict_copy(&stream.pointee.metadata, source.pointee.metadata, 0)
            try OutputFile.copySideData(from: source, to: stream)
            targets[index] = stream
        }
        // The chapters as FilmChapters reads them (on the film's clock), as the soundtrack gives them too.
        try output.setChapters(try FilmChapters.read(path: input.path))
    }

    /// The output stream input stream `index` is copied to, if it is.
    func target(of index: Int) -> UnsafeMutablePointer<AVStream>? {
        index >= 0 && index < targets.count ? targets[index] : nil
    }

    /// Writes `packet` (read from the input) to its output stream; false when its stream is not copied.
    func write(_ packet: Packet) throws(MediaError) -> Bool {
        let index = Int(packet.pointer.pointee.stream_index)
        guard let source = input.stream(index), let target = target(of: index) else { return false }
        av_packet_rescale_ts(packet.pointer, source.pointee.time_base, target.pointee.time_base)
        packet.pointer.pointee.stream_index = target.pointee.index
        packet.pointer.pointee.pos = -1
        try output.write(packet)
        return true
    }
}
