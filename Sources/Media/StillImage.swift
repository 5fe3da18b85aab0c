import CFFmpeg

/// A still image decoded once into memory.
struct StillImage {
    /// The decoded picture in the decoder's pixel format.
    let frame: Frame
    let path: String

    /// The most pixels decoded (about 8000x8000): a bound on memory, refused beyond.
    static let maxMegapixels = 64
    /// Below this on either side there is nothing to pan over.
    static let minimumSide = 16

    init(path: String) throws(MediaError) {
        self.path = path
        let input: InputFile
        do {
            input = try InputFile(path: path, probing: .none)
        } catch {
            if case .notMedia(_, let reason) = error { throw .notAnImage(path: path, reason: reason) }
            throw error
        }
        let imageCodecs: Set<UInt32> = [AV_CODEC_ID_PNG.rawValue, AV_CODEC_ID_MJPEG.rawValue, AV_CODEC_ID_WEBP.rawValue,
                                        AV_CODEC_ID_BMP.rawValue, AV_CODEC_ID_TIFF.rawValue]
        guard let stream = input.stream(0), let parameters = stream.pointee.codecpar,
              parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO,
              imageCodecs.contains(parameters.pointee.codec_id.rawValue) else {
            throw .notAnImage(path: path, reason: "it is not a PNG, JPEG or WebP picture")
        }
        let maxPixels = Int64(Self.maxMegapixels) * 1_000_000
        let decoder: CodecContext
        do {
            decoder = try CodecContext.decoder(for: stream, path: path, threads: 1, maxPixels: maxPixels)
        } catch {
            throw .notAnImage(path: path, reason: error.description)
        }
        let packet = try Packet()
        let frame = try Frame()
        var decoded = false
        var failure: Int32 = 0
        while !decoded {
            let more: Bool
            do { more = try input.read(into: packet) } catch { throw .notAnImage(path: path, reason: "the data ends early") }
            let sent = avcodec_send_packet(decoder.pointer, more ? packet.pointer : nil)
            packet.unref()
            if sent < 0 && sent != runner_averror_eof() { failure = sent; break }
            let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
            if received >= 0 { decoded = true; break }
            if received != runner_averror_eagain() { failure = received; break }
            if !more { break }
        }
        guard decoded else {
            let pixels = Int64(decoder.pointer.pointee.width) * Int64(decoder.pointer.pointee.height)
            if failure == runner_averror(EINVAL) || pixels > maxPixels {
                throw .imageTooLarge(path: path, limitMegapixels: Self.maxMegapixels)
            }
            throw .notAnImage(path: path, reason: failure == 0 ? "no picture in the file" : avErrorText(failure))
        }
        guard frame.width >= Self.minimumSide, frame.height >= Self.minimumSide else {
            throw .imageTooSmall(path: path, width: frame.width, height: frame.height, minimum: Self.minimumSide)
        }
        self.frame = frame
    }
}
