import CFFmpeg

/// The codec parameters that must match for clips to be joined without re-encoding.
struct ClipSignature: Equatable {
    struct Video: Equatable {
        var codec: String
        var profile: String
        var size: String
        var pixelFormat: String
        var frameRate: String
        var sampleAspect: String
        /// The display matrix exactly as stored (nil: none), and the orientation it gives, for messages.
        var displayMatrix: [UInt8]?
        var orientation: String
        var extradata: [UInt8]
    }

    struct Audio: Equatable {
        var codec: String
        var sampleRate: Int
        var channels: Int
        var extradata: [UInt8]
    }

    var video: Video
    var audio: Audio?

    init(_ input: InputFile) throws(MediaError) {
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(videoIndex),
            let parameters = stream.pointee.codecpar
        else {
            throw .noVideoStream(path: input.path)
        }
        let p = parameters.pointee
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        let geometry = ClipGeometry(input, stream: stream)
        video = Video(
            codec: String(cString: avcodec_get_name(p.codec_id)),
            profile: avcodec_profile_name(p.codec_id, p.profile).map { String(cString: $0) } ?? "\(p.profile)",
            size: "\(p.width)x\(p.height)",
            pixelFormat: av_get_pix_fmt_name(AVPixelFormat(rawValue: p.format)).map { String(cString: $0) }
                ?? "unknown",
            frameRate: Self.fraction(rate),
            sampleAspect: geometry.sampleAspectRatio,
            displayMatrix: geometry.isIdentityRotation ? nil : geometry.displayMatrix,
            orientation: geometry.orientationDescription,
            extradata: Self.bytes(p.extradata, Int(p.extradata_size))
        )
        if let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO), let audioStream = input.stream(audioIndex),
            let audioParameters = audioStream.pointee.codecpar
        {
            let a = audioParameters.pointee
            audio = Audio(
                codec: String(cString: avcodec_get_name(a.codec_id)), sampleRate: Int(a.sample_rate),
                channels: Int(a.ch_layout.nb_channels), extradata: Self.bytes(a.extradata, Int(a.extradata_size)))
        }
    }

    /// The first parameter in which `self` differs from `reference`: (name, this clip's value, the reference's value).
    func firstDifference(from reference: ClipSignature) -> (parameter: String, found: String, expected: String)? {
        let v = video
        let r = reference.video
        if v.codec != r.codec { return ("video codec", v.codec, r.codec) }
        if v.size != r.size { return ("video size", v.size, r.size) }
        if v.profile != r.profile { return ("\(v.codec) profile", v.profile, r.profile) }
        if v.pixelFormat != r.pixelFormat { return ("pixel format", v.pixelFormat, r.pixelFormat) }
        if v.frameRate != r.frameRate { return ("frame rate", v.frameRate + " fps", r.frameRate + " fps") }
        if v.sampleAspect != r.sampleAspect { return ("sample aspect ratio", v.sampleAspect, r.sampleAspect) }
        if v.displayMatrix != r.displayMatrix {
            // One track has one display matrix: clips turned differently would play turned wrongly.
            return ("rotation (display matrix)", v.orientation, r.orientation)
        }
        if v.extradata != r.extradata {
            return (
                "video codec setup (extradata, e.g. H.264 SPS/PPS)", "\(v.extradata.count) bytes",
                "\(r.extradata.count) different bytes"
            )
        }
        switch (audio, reference.audio) {
        case (nil, nil): return nil
        case (nil, .some): return ("audio", "absent", "present")
        case (.some, nil): return ("audio", "present", "absent")
        case (let a?, let b?):
            if a.codec != b.codec { return ("audio codec", a.codec, b.codec) }
            if a.sampleRate != b.sampleRate { return ("audio sample rate", "\(a.sampleRate) Hz", "\(b.sampleRate) Hz") }
            if a.channels != b.channels { return ("audio channel count", "\(a.channels)", "\(b.channels)") }
            if a.extradata != b.extradata {
                return (
                    "audio codec setup (extradata)", "\(a.extradata.count) bytes",
                    "\(b.extradata.count) different bytes"
                )
            }
            return nil
        }
    }

    /// A short description for reports, e.g. "h264 High 1280x720 24/1 fps, with aac audio".
    var summary: String {
        "\(video.codec)\(video.profile.hasPrefix("-") ? "" : " " + video.profile) \(video.size) \(video.frameRate) fps"
            + (audio.map { ", with \($0.codec) audio" } ?? ", no audio")
    }

    private static func fraction(_ rate: AVRational) -> String {
        guard rate.den > 0 else { return "unknown" }
        var reduced = AVRational()
        av_reduce(&reduced.num, &reduced.den, Int64(rate.num), Int64(rate.den), Int64(Int32.max))
        return reduced.den == 1 ? "\(reduced.num)" : "\(reduced.num)/\(reduced.den)"
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
