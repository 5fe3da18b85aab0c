import CFFmpeg

/// A film's picture (and soft subtitles) copied packet for packet into a new file, with its chapters and metadata:
/// what a film stage that changes only the sound keeps as it was. Audio and data streams (an MP4's chapter text track,
/// which the muxer makes again from the chapters) are left out.
final class PictureCopy {
    private let input: InputFile
    private let output: OutputFile
    /// Output stream index by input stream index, for the streams copied.
    private var mapping: [Int32: Int32] = [:]
    private let packet: Packet
    private var held = false
    private var ended = false
    /// When the film's picture starts, in seconds of its timestamps (0 when it does not say): where the new sound
    /// starts, so that a stage keeps sound and picture together whatever the container did to the film's start.
    let pictureStart: Double

    /// Adds the copied streams, the chapters and the metadata of `film` to `output` (before its header is written).
    init(film: String, into output: OutputFile) throws(MediaError) {
        input = try InputFile(path: film, probing: .whenNeeded)
        self.output = output
        packet = try Packet()
        guard input.bestStream(AVMEDIA_TYPE_VIDEO) != nil else { throw .noVideoStream(path: film) }
        pictureStart = try PictureSeconds.start(of: film)
        for index in 0..<input.streamCount {
            guard let stream = input.stream(index), let parameters = stream.pointee.codecpar else { continue }
            let type = parameters.pointee.codec_type
            let picture = type == AVMEDIA_TYPE_VIDEO && (stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0
            guard picture || type == AVMEDIA_TYPE_SUBTITLE else {
                stream.pointee.discard = AVDISCARD_ALL
                continue
            }
            let target = try output.addStream()
            guard avcodec_parameters_copy(target.pointee.codecpar, parameters) >= 0 else {
                throw .outputFailed(path: output.path, reason: "cannot copy the parameters of stream \(index)")
            }
            target.pointee.codecpar.pointee.codec_tag = 0  // the muxer picks the tag for its container
            target.pointee.time_base = stream.pointee.time_base
            target.pointee.disposition = stream.pointee.disposition
            target.pointee.sample_aspect_ratio = stream.pointee.sample_aspect_ratio
            target.pointee.avg_frame_rate = stream.pointee.avg_frame_rate
            av_dict_copy(&target.pointee.metadata, stream.pointee.metadata, 0)
            try OutputFile.copySideData(from: stream, to: target)
            mapping[Int32(index)] = target.pointee.index
        }
        av_dict_copy(&output.context.pointee.metadata, input.context.pointee.metadata, 0)
        try output.setChapters(try FilmChapters.read(path: film))
    }

    /// Copies the packets whose decoding time is before `seconds` (all of them when nil), in file order.
    func copy(until seconds: Double?) throws(MediaError) {
        while !ended {
            if !held {
                guard try input.read(into: packet) else {
                    ended = true
                    return
                }
                guard mapping[packet.pointer.pointee.stream_index] != nil else {
                    packet.unref()
                    continue
                }
                held = true
            }
            let p = packet.pointer
            guard let source = input.stream(Int(p.pointee.stream_index)) else { return }
            let timestamp = p.pointee.dts != runner_av_nopts_value() ? p.pointee.dts : p.pointee.pts
            if let seconds, timestamp != runner_av_nopts_value(),
                Double(timestamp) * av_q2d(source.pointee.time_base) >= seconds
            {
                return
            }
            guard let targetIndex = mapping[p.pointee.stream_index], let target = output.stream(Int(targetIndex)) else {
                return
            }
            av_packet_rescale_ts(p, source.pointee.time_base, target.pointee.time_base)
            p.pointee.stream_index = targetIndex
            p.pointee.pos = -1
            held = false
            try output.write(packet)
        }
    }
}
