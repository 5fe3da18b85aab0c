import CFFmpeg

/// How long a film's picture lasts: the length its soundtrack is made to.
enum PictureSeconds {
    /// The video stream's duration, else the file's; throws when the film has no picture.
    static func of(_ film: String) throws(MediaError) -> Double {
        let input = try InputFile(path: film, probing: .whenNeeded)
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(index) else {
            throw .noVideoStream(path: film)
        }
        if stream.pointee.duration > 0 { return Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base) }
        return max(0, Double(input.context.pointee.duration) / Double(AV_TIME_BASE))
    }

    /// When the film's picture starts, in seconds of its timestamps (0 when the film does not say): read with the
    /// streams probed, since a Matroska header alone leaves it unknown (FFmpeg 5.1's WebM starts it 7 ms in).
    static func start(of film: String) throws(MediaError) -> Double {
        let input = try InputFile(path: film, probing: .full)
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(index),
            stream.pointee.start_time != runner_av_nopts_value()
        else { return 0 }
        return Double(stream.pointee.start_time) * av_q2d(stream.pointee.time_base)
    }
}
