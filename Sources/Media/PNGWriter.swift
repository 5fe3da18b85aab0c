import CFFmpeg
import Foundation

/// Encodes an RGB picture as a PNG file, written to a temporary file and renamed into place.
enum PNGWriter {
    /// `fast` deflates at zlib's level 1 instead of its default: the same pixels (PNG is lossless) in a somewhat larger
    /// file, several times sooner; for contact sheets, written when the film is ready.
    static func write(_ image: RGBImage, to path: String, fast: Bool = false) throws(MediaError) {
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw .unavailable("the PNG encoder") }
        let codec = try CodecContext(codec: encoder)
        codec.pointer.pointee.width = Int32(image.width)
        codec.pointer.pointee.height = Int32(image.height)
        codec.pointer.pointee.pix_fmt = AV_PIX_FMT_RGB24
        codec.pointer.pointee.time_base = AVRational(num: 1, den: 1)
        if fast { codec.pointer.pointee.compression_level = 1 }
        let opened = avcodec_open2(codec.pointer, encoder, nil)
        guard opened >= 0 else {
            throw .outputFailed(path: path, reason: "cannot open the PNG encoder: \(avErrorText(opened))")
        }
        let frame = try image.frame()
        let packet = try Packet()
        guard avcodec_send_frame(codec.pointer, frame.pointer) >= 0, avcodec_send_frame(codec.pointer, nil) >= 0,
            avcodec_receive_packet(codec.pointer, packet.pointer) >= 0, let data = packet.pointer.pointee.data
        else {
            throw .outputFailed(path: path, reason: "PNG encoding failed")
        }
        let bytes = Data(bytes: data, count: Int(packet.pointer.pointee.size))
        packet.unref()
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try bytes.write(to: temporary)
            guard rename(temporary.path, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .outputFailed(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
