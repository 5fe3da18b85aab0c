import CFFmpeg
import Foundation

/// Captions put into a film: as a soft subtitle track beside its picture and sound (both copied, not re-encoded), or
/// burned into its picture (the picture re-encoded, the sound copied). The film's chapters and other streams are kept.
///
/// An MP4 film gets a mov_text track (3GPP timed text, what MP4 players show), a WebM film a WebVTT one (the one
/// subtitle codec WebM allows). Captions are cut at the film's end; those that would start after it are left out.
/// Both calls block; run them off the cooperative pool. `shouldStop` is polled between packets: when it returns
/// true the partial output is deleted and `MediaError.cancelled` thrown.
public enum FilmCaptions {
    /// x264's CRF for burned captions: near-transparent, as a re-encode of a finished film should be.
    public static let h264Quality = 18
    /// libvpx-vp9's CRF for the same in WebM.
    public static let vp9Quality = 20

    /// Writes `film` with `captions` as a soft subtitle track tagged `language` (ISO 639-2: `eng`; MP4 stores the
    /// T form, Matroska the B form) to `output`, which gets the film's container.
    /// Throws `MediaError` naming the film when it cannot be read, or the output when it cannot be written.
    public static func addTrack(
        _ captions: [Caption], language: String, film: String, output: String,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(MediaError) -> CaptionReport {
        let input = try InputFile(path: film, probing: .whenNeeded)
        let format = try container(of: input)
        let (within, report) = fit(captions, to: input)
        let fitted = Caption.sequential(within)
        let out = try OutputFile(path: output, format: format.rawValue)
        let copy = try StreamCopy(from: input, to: out) {
            $0 == AVMEDIA_TYPE_VIDEO || $0 == AVMEDIA_TYPE_AUDIO || $0 == AVMEDIA_TYPE_SUBTITLE
        }
        let encoder = try SubtitleEncoder(output: out, format: format, language: language)
        try out.writeHeader(faststart: format == .mp4)
        let packet = try Packet()
        var next = 0
        while try input.read(into: packet) {
            if shouldStop?() == true { throw .cancelled(path: output) }
            // Captions go in as the film reaches their start, so the muxer never holds many packets back.
            let reached = packetMilliseconds(packet, in: input)
            while next < fitted.count, fitted[next].start <= reached {
                try encoder.write(fitted[next])
                next += 1
            }
            if try !copy.write(packet) { packet.unref() }
        }
        for caption in fitted[next...] { try encoder.write(caption) }
        try out.finish()
        return report
    }

    /// Writes `film` with `captions` drawn into its picture in `style` (libass, through libavfilter's `ass` filter)
    /// to `output`, in the film's container: the picture re-encoded (H.264 with libx264 at `h264Quality` in MP4,
    /// VP9 at `vp9Quality` in WebM) at the film's size and frame rate, the sound and any subtitle tracks copied.
    /// Throws `MediaError.invalidOption` for a turned or stretched picture (the captions would be drawn sideways or
    /// squeezed): merge such clips with `mode: reencode` first.
    public static func burn(
        _ captions: [Caption], style: CaptionStyle, film: String, output: String,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(MediaError) -> CaptionReport {
        let input = try InputFile(path: film, probing: .whenNeeded)
        let format = try container(of: input)
        let (fitted, report) = fit(captions, to: input)
        try CaptionBurner(input: input, output: output, format: format, shouldStop: shouldStop).burn(
            fitted, style: style)
        return report
    }

    /// The container `input` is in, which the output keeps.
    static func container(of input: InputFile) throws(MediaError) -> OutputFormat {
        let name = input.context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? ""
        if name.contains("mp4") || name.contains("mov") { return .mp4 }
        if name.contains("matroska") || name.contains("webm") { return .webm }
        throw .invalidOption(
            "'\(input.path)' is a \(name) file; captions go into MP4 or WebM films (a merge stage's `format`).")
    }

    /// The captions that fall within the film, cut at its end, on the film's clock (0 is its first picture: a WebM's
    /// starts a few milliseconds in, after Opus' pre-skip), and the counts for the report.
    static func fit(_ captions: [Caption], to input: InputFile) -> ([Caption], CaptionReport) {
        let offset = pictureStart(of: input)
        let duration = input.context.pointee.duration
        let end = duration > 0 ? duration / 1000 : Int64.max  // AV_TIME_BASE (microseconds) to milliseconds
        var fitted: [Caption] = []
        var cut = 0
        for var caption in captions where caption.start < end {
            if caption.end > end {
                caption.end = end
                cut += 1
            }
            caption.start += offset
            caption.end += offset
            fitted.append(caption)
        }
        return (fitted, CaptionReport(written: fitted.count, cut: cut, leftOut: captions.count - fitted.count))
    }

    /// When the film's picture starts, in milliseconds of its timestamps (0 when it has no video or no start).
    private static func pictureStart(of input: InputFile) -> Int64 {
        let seconds = (try? PictureSeconds.start(of: input.path)) ?? 0
        return max(0, Int64((seconds * 1000).rounded()))
    }

    /// Where a packet lies in the film, in milliseconds (its DTS, else PTS; 0 when it has neither).
    private static func packetMilliseconds(_ packet: Packet, in input: InputFile) -> Int64 {
        let p = packet.pointer.pointee
        let time = p.dts != runner_av_nopts_value() ? p.dts : p.pts
        guard time != runner_av_nopts_value(), let stream = input.stream(Int(p.stream_index)) else { return 0 }
        return av_rescale_q(time, stream.pointee.time_base, AVRational(num: 1, den: 1000))
    }
}

/// What putting captions into a film did.
public struct CaptionReport: Sendable, Equatable {
    /// Captions put into the film (overlapping ones share the spans they overlap in a soft track).
    public var written: Int
    /// Of those, how many were cut short at the film's end.
    public var cut: Int
    /// Captions left out because they start after the film ends.
    public var leftOut: Int
}
