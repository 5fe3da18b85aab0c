import CFFmpeg
import CHeif

/// HEIC, HEIF and AVIF stills through libheif (Debian's libheif), which applies the file's own rotation and
/// mirroring (`irot`, `imir`) as viewers do.
enum HEIFImage {
    /// The primary image's size (as shown: libheif reports it with its transformations applied).
    static func header(path: String, format: ImageFormat) throws(ImageProblem) -> ImageHeader {
        let (context, handle) = try open(path)
        defer {
            heif_image_handle_release(handle)
            heif_context_free(context)
        }
        return header(of: handle, format: format)
    }

    /// The primary image's size, from a whole file held in memory (a small stored frame).
    static func header(bytes: [UInt8], format: ImageFormat) throws(ImageProblem) -> ImageHeader {
        let result: Result<ImageHeader, ImageProblem> = bytes.withUnsafeBytes { buffer in
            do throws(ImageProblem) {
                // libheif keeps pointing into `buffer`: everything it reads is read before this closure returns.
                let (context, handle) = try open {
                    heif_context_read_from_memory_without_copy($0, buffer.baseAddress, buffer.count, nil)
                }
                defer {
                    heif_image_handle_release(handle)
                    heif_context_free(context)
                }
                return .success(header(of: handle, format: format))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func header(of handle: OpaquePointer, format: ImageFormat) -> ImageHeader {
        let bits = Int(heif_image_handle_get_luma_bits_per_pixel(handle))
        // libheif decodes to YUV planes (2 bytes a sample above 8 bits) and converts them to interleaved RGB(A).
        let bytes = 3 * (bits > 8 ? 2 : 1) + 4
        return ImageHeader(
            format: format, width: Int(heif_image_handle_get_width(handle)),
            height: Int(heif_image_handle_get_height(handle)), orientation: .up, decodedBytesPerPixel: bytes)
    }

    /// Decodes the primary image to interleaved 8-bit RGB (RGBA when it has alpha) and hands it to `use` as a frame
    /// that borrows libheif's buffer (valid only inside `use`).
    static func decode<T>(path: String, _ use: (Frame, _ hasAlpha: Bool) throws(MediaError) -> T) throws(MediaError)
        -> T
    {
        let context: OpaquePointer
        let handle: OpaquePointer
        do { (context, handle) = try open(path) } catch { throw .unusableImage(path: path, problem: error) }
        defer {
            heif_image_handle_release(handle)
            heif_context_free(context)
        }
        let hasAlpha = heif_image_handle_has_alpha_channel(handle) != 0
        let options = heif_decoding_options_alloc()
        defer { heif_decoding_options_free(options) }
        options?.pointee.convert_hdr_to_8bit = 1
        var image: OpaquePointer?
        let decoded = heif_decode_image(
            handle, &image, heif_colorspace_RGB,
            hasAlpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, options)
        guard decoded.code == heif_error_Ok, let image else {
            throw .unusableImage(
                path: path, problem: .undecodable("libheif cannot decode it (\(String(cString: decoded.message)))"))
        }
        defer { heif_image_release(image) }
        var stride: Int32 = 0
        guard let plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride) else {
            throw .unusableImage(path: path, problem: .undecodable("libheif gave no picture"))
        }
        let frame = try Frame()
        frame.pointer.pointee.width = heif_image_get_width(image, heif_channel_interleaved)
        frame.pointer.pointee.height = heif_image_get_height(image, heif_channel_interleaved)
        frame.pointer.pointee.format = (hasAlpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24).rawValue
        frame.pointer.pointee.data.0 = UnsafeMutablePointer(mutating: plane)
        frame.pointer.pointee.linesize.0 = stride
        return try use(frame, hasAlpha)
    }

    private static func open(_ path: String) throws(ImageProblem) -> (OpaquePointer, OpaquePointer) {
        try open { heif_context_read_from_file($0, path, nil) }
    }

    /// A context filled by `read` (from a file or from memory) and its primary image.
    private static func open(_ read: (OpaquePointer) -> heif_error) throws(ImageProblem) -> (
        OpaquePointer, OpaquePointer
    ) {
        guard let context = heif_context_alloc() else { throw .unreadable("libheif has no memory for it") }
        // A bound on what libheif will allocate for one picture, as for the other decoders.
        heif_context_set_maximum_image_size_limit(context, 65_536)
        let read = read(context)
        guard read.code == heif_error_Ok else {
            heif_context_free(context)
            let message = String(cString: read.message)
            // libheif's message for a box or extent past the file's end does not always say so: its subcode does.
            if read.code == heif_error_Invalid_input
                && (read.subcode == heif_suberror_End_of_data || message.lowercased().contains("end of"))
            {
                throw .truncated("its HEIF boxes stop early (\(message))")
            }
            throw .undecodable("libheif cannot read it (\(message))")
        }
        var handle: OpaquePointer?
        let primary = heif_context_get_primary_image_handle(context, &handle)
        guard primary.code == heif_error_Ok, let handle else {
            heif_context_free(context)
            throw .undecodable("it has no primary image (\(String(cString: primary.message)))")
        }
        return (context, handle)
    }
}
