import CFFmpeg
import Foundation

/// A still as a viewer shows it: turned by its orientation, flattened onto a background, in RGB24, and at most
/// `maxSide` pixels on its long side. Every reader of frames (Ken Burns, thumbnails, prepared images for paid
/// providers) starts from this, so that all of them see the same picture.
///
/// Memory is bounded: the header is checked first (`ImageLimits`), so a picture whose decoded form would exceed
/// `ImageLimits.maxDecodedBytes` is refused by its shape before anything is decoded; the decoded picture is scaled
/// down to the working size in one pass and dropped before the upright copy is made.
struct UprightImage {
    /// The upright picture, RGB24.
    let frame: Frame
    /// What the file said about itself.
    let header: ImageHeader
    /// Whether the file had an alpha channel that was flattened.
    let hadAlpha: Bool

    var width: Int { frame.width }
    var height: Int { frame.height }

    init(path: String, background: RGBColor = .black, maxSide: Int = ImageLimits.maxPreparedSide) throws(MediaError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        let header: ImageHeader
        do {
            header = try ImageHeader.read(path: path)
            try ImageLimits.check(header)
        } catch {
            throw .unusableImage(path: path, problem: error)
        }
        self.header = header
        let working: (frame: Frame, channels: Int)
        var alpha = false
        switch header.format {
        case .heif, .avif:
            working = try HEIFImage.decode(path: path) { (frame: Frame, hasAlpha: Bool) throws(MediaError) in
                alpha = hasAlpha
                return try Self.scaled(frame, alpha: hasAlpha, maxSide: maxSide, background: background)
            }
        default:
            let decoded = try Self.decodeWithLibav(path: path, header: header)
            // JPEG has no transparency: a CMYK JPEG's fourth plane is ink, not alpha.
            alpha = header.format != .jpeg && Self.hasAlpha(AVPixelFormat(rawValue: decoded.pointer.pointee.format))
            // Always copied, even when already RGB24: the copy's row padding is zeroed, and swscale reads into the
            // padding of RGB24 rows, so a decoder's padding (whatever the allocator left there) would change the bytes.
            working = try Self.scaled(decoded, alpha: alpha, maxSide: maxSide, background: background)
        }
        hadAlpha = alpha
        frame = try Self.oriented(working.frame, channels: working.channels, orientation: header.orientation)
    }

    /// Whether a pixel format carries alpha (`AV_PIX_FMT_FLAG_ALPHA`; palette formats carry it in the palette).
    static func hasAlpha(_ format: AVPixelFormat) -> Bool {
        guard let descriptor = av_pix_fmt_desc_get(format) else { return false }
        return descriptor.pointee.flags & (1 << 7) != 0
    }

    /// Scales `source` to fit `maxSide` (never up) into RGBA when it has alpha, else RGB24, and flattens RGBA onto
    /// `background` in place (the alpha byte is left as is and skipped later).
    static func scaled(_ source: Frame, alpha: Bool, maxSide: Int, background: RGBColor) throws(MediaError) -> (
        frame: Frame, channels: Int
    ) {
        let longest = max(source.width, source.height)
        let factor = longest > maxSide ? Double(maxSide) / Double(longest) : 1
        let width = max(1, Int((Double(source.width) * factor).rounded()))
        let height = max(1, Int((Double(source.height) * factor).rounded()))
        let format = alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24
        let output = try zeroed(Frame(width: width, height: height, format: format))
        if factor == 1, !alpha, source.pointer.pointee.format == AV_PIX_FMT_RGB24.rawValue,
            let from = source.plane(0), let to = output.plane(0)
        {
            // Already RGB24 at its size: copied row by row (swscale's same-format path gave the same image different
            // bytes when renders ran at once in one process).
            for row in 0..<height { memcpy(to + row * output.lineSize(0), from + row * source.lineSize(0), width * 3) }
            return (output, 3)
        }
        // No SWS_FULL_CHR_H_INT: with it, RGB output goes through swscale's error-diffusion dithering, which gave the
        // same image different bytes within one process.
        let flags = runner_sws_bicubic() | runner_sws_accurate_rnd() | runner_sws_bitexact()
        let scaler = try Scaler(
            from: source.width, source.height, AVPixelFormat(rawValue: source.pointer.pointee.format),
            to: width, height, format, flags: flags)
        scaler.scale(source, into: output)
        guard alpha, let data = output.plane(0) else { return (output, 3) }
        let stride = output.lineSize(0)
        let (r, g, b) = (UInt32(background.red), UInt32(background.green), UInt32(background.blue))
        for row in 0..<height {
            var pixel = data + row * stride
            for _ in 0..<width {
                let a = UInt32(pixel[3])
                let rest = 255 - a
                if a != 255 {
                    pixel[0] = UInt8((UInt32(pixel[0]) * a + r * rest + 127) / 255)
                    pixel[1] = UInt8((UInt32(pixel[1]) * a + g * rest + 127) / 255)
                    pixel[2] = UInt8((UInt32(pixel[2]) * a + b * rest + 127) / 255)
                }
                pixel += 4
            }
        }
        return (output, 4)
    }

    /// The picture turned upright as RGB24, from RGB24 or (flattened) RGBA.
    static func oriented(_ source: Frame, channels: Int, orientation: ExifOrientation) throws(MediaError) -> Frame {
        if orientation == .up && channels == 3 { return source }
        let (width, height) = (source.width, source.height)
        let (outWidth, outHeight) = orientation.swapsSides ? (height, width) : (width, height)
        let output = try zeroed(Frame(width: outWidth, height: outHeight, format: AV_PIX_FMT_RGB24))
        guard let from = source.plane(0), let to = output.plane(0) else { throw .unavailable("memory for an image") }
        let fromStride = source.lineSize(0)
        let toStride = output.lineSize(0)
        for v in 0..<outHeight {
            var target = to + v * toStride
            for u in 0..<outWidth {
                let (x, y) = orientation.source(u: u, v: v, width: width, height: height)
                let pixel = from + y * fromStride + x * channels
                target[0] = pixel[0]
                target[1] = pixel[1]
                target[2] = pixel[2]
                target += 3
            }
        }
        return output
    }

    /// `frame` with its whole buffer (padding included) set to zero: swscale's vector code reads past a row's last
    /// pixel, and uninitialised padding would make the same image give different bytes.
    static func zeroed(_ frame: Frame) -> Frame {
        if let buffer = frame.pointer.pointee.buf.0, let data = buffer.pointee.data {
            memset(data, 0, buffer.pointee.size)
        }
        return frame
    }

    /// The first picture of a file libavcodec decodes (PNG, JPEG, WebP, BMP, TIFF), in the decoder's own format.
    static func decodeWithLibav(path: String, header: ImageHeader) throws(MediaError) -> Frame {
        let input: InputFile
        do {
            input = try InputFile(path: path, probing: .none)
        } catch {
            if case .notMedia(_, let reason) = error { throw .unusableImage(path: path, problem: .undecodable(reason)) }
            throw error
        }
        let imageCodecs: Set<UInt32> = [
            AV_CODEC_ID_PNG.rawValue, AV_CODEC_ID_MJPEG.rawValue, AV_CODEC_ID_WEBP.rawValue,
            AV_CODEC_ID_BMP.rawValue, AV_CODEC_ID_TIFF.rawValue,
        ]
        guard let stream = input.stream(0), let parameters = stream.pointee.codecpar,
            parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO,
            imageCodecs.contains(parameters.pointee.codec_id.rawValue)
        else {
            throw .unusableImage(
                path: path,
                problem: .undecodable("FFmpeg does not read it as a \(header.format.rawValue.uppercased()) picture"))
        }
        let maxPixels = Int64(ImageLimits.maxDecodedBytes / max(1, header.decodedBytesPerPixel))
        let decoder: CodecContext
        do {
            decoder = try CodecContext.decoder(for: stream, path: path, threads: 1, maxPixels: maxPixels)
        } catch {
            throw .unusableImage(path: path, problem: .undecodable(error.description))
        }
        let packet = try Packet()
        let frame = try Frame()
        var failure: Int32 = 0
        while true {
            let more: Bool
            do { more = try input.read(into: packet) } catch {
                throw .unusableImage(path: path, problem: .truncated("its data ends early"))
            }
            let sent = avcodec_send_packet(decoder.pointer, more ? packet.pointer : nil)
            packet.unref()
            if sent < 0 && sent != runner_averror_eof() {
                failure = sent
                break
            }
            let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
            if received >= 0 { return frame }
            if received != runner_averror_eagain() {
                failure = received
                break
            }
            if !more { break }
        }
        if failure == runner_averror(EINVAL) {
            throw .unusableImage(
                path: path,
                problem: .tooLarge(
                    width: header.width, height: header.height,
                    bytesPerPixel: header.decodedBytesPerPixel, limitBytes: ImageLimits.maxDecodedBytes))
        }
        throw .unusableImage(
            path: path,
            problem: failure == 0
                ? .undecodable("no picture in the file")
                : .undecodable("its picture data is damaged (\(avErrorText(failure)))"))
    }
}
