import CFFmpeg
import Foundation

/// The image a provider receives for a frame: the frame as a viewer shows it (oriented, flattened onto the
/// background), at most `ImageLimits.maxPreparedSide` pixels on its long side, encoded as a baseline JPEG
/// (a type every provider takes) with no metadata, so nothing can turn it again.
public enum PreparedImage {
    /// What was written.
    public struct Report: Sendable, Equatable {
        public var width: Int, height: Int
        public var bytes: Int
        /// The source's header (type, stored size, orientation).
        public var source: ImageHeader
        public var hadAlpha: Bool
        public var mimeType: String { "image/jpeg" }
    }

    /// The JPEG quality scale (2 best ... 31): 2 keeps photos visually lossless at about 3 bits a pixel.
    static let qscale: Int32 = 2

    /// Writes the prepared image of `source` to `output` (a JPEG); the same inputs always give the same bytes.
    @discardableResult
    public static func write(
        source: String, to output: String, background: RGBColor = .black,
        maxSide: Int = ImageLimits.maxPreparedSide
    ) throws(MediaError) -> Report {
        let upright = try UprightImage(path: source, background: background, maxSide: maxSide)
        let bytes = try encodeJPEG(upright.frame, path: output)
        let url = URL(fileURLWithPath: output)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try bytes.write(to: temporary)
            guard rename(temporary.path, output) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .outputFailed(path: output, reason: "\(error.localizedDescription)")
        }
        return Report(
            width: upright.width, height: upright.height, bytes: bytes.count, source: upright.header,
            hadAlpha: upright.hadAlpha)
    }

    /// The header of a frame (type, size, orientation), checked against `ImageLimits`: what `plan` shows and refuses.
    public static func inspect(path: String) throws(ImageProblem) -> ImageHeader {
        let header = try ImageHeader.read(path: path)
        try ImageLimits.check(header)
        return header
    }

    /// The header of a frame known by its first `ImageHeader.headBytes`, its last `ImageHeader.tailBytes` and its
    /// size (a stored frame, read in two ranges), checked as `inspect(path:)` checks a file.
    ///
    /// Nil for a HEIF or AVIF file longer than `head`: libheif reads HEIF boxes from a whole file (given the head of
    /// a phone photo, whose picture data lies past it, it refuses it, and a reader that claims the whole length makes
    /// it abort), so such a frame is known here by its magic bytes and size only; its header is checked when it is
    /// prepared, before its own submission.
    public static func inspect(head: [UInt8], tail: [UInt8], fileSize: Int64) throws(ImageProblem) -> ImageHeader? {
        if Int64(head.count) < fileSize, let format = ImageFormat(magic: head), format == .heif || format == .avif {
            return nil
        }
        let header = try ImageHeader.read(head: head, tail: tail, fileSize: fileSize)
        try ImageLimits.check(header)
        return header
    }

    /// Encodes an RGB24 frame as a full-range 4:2:0 JPEG.
    static func encodeJPEG(_ rgb: Frame, path: String) throws(MediaError) -> Data {
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else { throw .unavailable("the JPEG encoder") }
        let codec = try CodecContext(codec: encoder)
        let (width, height) = (rgb.width, rgb.height)
        codec.pointer.pointee.width = Int32(width)
        codec.pointer.pointee.height = Int32(height)
        codec.pointer.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        codec.pointer.pointee.time_base = AVRational(num: 1, den: 1)
        // AV_CODEC_FLAG_QSCALE (1 << 1): a fixed quality.
        codec.pointer.pointee.flags |= Int32(1 << 1) | runner_codec_flag_bitexact()
        codec.pointer.pointee.global_quality = 118 * qscale  // FF_QP2LAMBDA x qscale
        let opened = avcodec_open2(codec.pointer, encoder, nil)
        guard opened >= 0 else {
            throw .outputFailed(path: path, reason: "cannot open the JPEG encoder: \(avErrorText(opened))")
        }
        let yuv = try Frame(width: width, height: height, format: AV_PIX_FMT_YUVJ420P)
        let flags =
            runner_sws_bicubic() | runner_sws_accurate_rnd() | runner_sws_full_chr_h_int() | runner_sws_bitexact()
        let scaler = try Scaler(
            from: width, height, AV_PIX_FMT_RGB24, to: width, height, AV_PIX_FMT_YUVJ420P, flags: flags)
        scaler.scale(rgb, into: yuv)
        yuv.pointer.pointee.quality = 118 * qscale
        yuv.pointer.pointee.pts = 0
        let packet = try Packet()
        guard avcodec_send_frame(codec.pointer, yuv.pointer) >= 0, avcodec_send_frame(codec.pointer, nil) >= 0,
            avcodec_receive_packet(codec.pointer, packet.pointer) >= 0, let data = packet.pointer.pointee.data
        else {
            throw .outputFailed(path: path, reason: "JPEG encoding failed")
        }
        defer { packet.unref() }
        return Data(bytes: data, count: Int(packet.pointer.pointee.size))
    }
}
