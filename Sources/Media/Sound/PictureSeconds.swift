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
}
