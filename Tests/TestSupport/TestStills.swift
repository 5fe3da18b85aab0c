import Foundation

/// Still images made for tests the way users' frames are made: with Pillow (phones' EXIF, transparency, CMYK,
/// 16-bit, palettes), libheif's `heif-enc` (HEIC, AVIF), ffmpeg; and pixels read back with ffmpeg, an independent
/// decoder. scripts/setup.sh installs all three.
public enum TestStills {
    public struct RGB: Equatable, Sendable, CustomStringConvertible {
        public var r: Int, g: Int, b: Int
        public init(_ r: Int, _ g: Int, _ b: Int) { (self.r, self.g, self.b) = (r, g, b) }
        public static let red = RGB(255, 0, 0), blue = RGB(0, 0, 255), black = RGB(0, 0, 0), white = RGB(255, 255, 255)
        public static let magenta = RGB(255, 0, 255), green = RGB(0, 255, 0)
        /// Within `tolerance` on each channel (lossy codecs move colours a little).
        public func near(_ other: RGB, tolerance: Int = 40) -> Bool {
            abs(r - other.r) <= tolerance && abs(g - other.g) <= tolerance && abs(b - other.b) <= tolerance
        }
        public var description: String { "rgb(\(r),\(g),\(b))" }
    }

    /// Runs a Pillow script with `sys.argv[1:] = arguments`.
    public static func pillow(_ script: String, _ arguments: [String]) throws {
        let output = try run(
            "/usr/bin/env", ["python3", "-c", "from PIL import Image, ImageDraw\nimport sys\n" + script] + arguments)
        guard output.status == 0 else { throw TestSetupError(description: "Pillow failed: \(output.stderr)") }
    }

    /// A picture of `width` x `height` filled with `fill`, with a band of `band` pixels of `bandColour` along its
    /// `edge` (top, left, bottom, right), saved by Pillow in the type its extension names (mode RGB).
    public static func banded(
        _ path: String, width: Int, height: Int, fill: RGB = .blue, band: Int, bandColour: RGB = .red,
        edge: String = "top", mode: String = "RGB", exifOrientation: Int? = nil
    ) throws {
        try pillow(
            """
            w, h, b, edge, mode = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
            fill = tuple(int(v) for v in sys.argv[7].split(','))
            band = tuple(int(v) for v in sys.argv[8].split(','))
            im = Image.new('RGB', (w, h), fill)
            box = {'top': (0, 0, w - 1, b - 1), 'left': (0, 0, b - 1, h - 1), 'bottom': (0, h - b, w - 1, h - 1), 'right': (w - b, 0, w - 1, h - 1)}[edge]
            ImageDraw.Draw(im).rectangle(box, fill=band)
            if mode != 'RGB':
                im = im.convert(mode)
            kwargs = {}
            if sys.argv[9] != '-':
                exif = Image.Exif()
                exif[274] = int(sys.argv[9])
                kwargs['exif'] = exif.tobytes()
            if sys.argv[1].lower().endswith(('.jpg', '.jpeg')):
                kwargs['quality'] = 95
            im.save(sys.argv[1], **kwargs)
            """,
            [
                path, "\(width)", "\(height)", "\(band)", edge, mode, "\(fill.r),\(fill.g),\(fill.b)",
                "\(bandColour.r),\(bandColour.g),\(bandColour.b)", exifOrientation.map(String.init) ?? "-",
            ])
    }

    /// A PNG whose left half is opaque `left` and whose right half is fully transparent, with `hidden` stored
    /// under the transparency; `palette` saves it as a palette PNG with a tRNS chunk.
    public static func halfTransparent(
        _ path: String, width: Int = 640, height: Int = 360, left: RGB = .blue,
        hidden: RGB = .magenta, palette: Bool = false
    ) throws {
        try pillow(
            """
            w, h = int(sys.argv[2]), int(sys.argv[3])
            left = tuple(int(v) for v in sys.argv[4].split(',')) + (255,)
            hidden = tuple(int(v) for v in sys.argv[5].split(',')) + (0,)
            im = Image.new('RGBA', (w, h), left)
            ImageDraw.Draw(im).rectangle((w // 2, 0, w - 1, h - 1), fill=hidden)
            if sys.argv[6] == 'palette':
                p = Image.new('P', (w, h), 0)
                p.putpalette([left[0], left[1], left[2], hidden[0], hidden[1], hidden[2]] + [0] * 762)
                ImageDraw.Draw(p).rectangle((w // 2, 0, w - 1, h - 1), fill=1)
                p.info['transparency'] = bytes([255, 0])
                p.save(sys.argv[1], transparency=bytes([255, 0]))
            else:
                im.save(sys.argv[1])
            """,
            [
                path, "\(width)", "\(height)", "\(left.r),\(left.g),\(left.b)", "\(hidden.r),\(hidden.g),\(hidden.b)",
                palette ? "palette" : "rgba",
            ])
    }

    /// Encodes `source` (a PNG or JPEG) as HEIC, or AVIF when `avif`, with libheif's own encoder.
    public static func heif(from source: String, to path: String, avif: Bool = false) throws {
        let output = try run("/usr/bin/env", ["heif-enc", "-q", "90"] + (avif ? ["-A"] : []) + ["-o", path, source])
        guard output.status == 0 else { throw TestSetupError(description: "heif-enc failed: \(output.stderr)") }
    }

    /// A small, valid PNG whose IHDR chunk (CRC recomputed) says it is `width` x `height`: what a too-large frame's
    /// header looks like, without the gigabytes of its picture.
    public static func claimingSize(_ path: String, width: Int, height: Int) throws {
        try pillow(
            """
            import struct, zlib
            Image.new('RGB', (64, 64), (0, 0, 255)).save(sys.argv[1])
            data = bytearray(open(sys.argv[1], 'rb').read())
            data[16:24] = struct.pack('>II', int(sys.argv[2]), int(sys.argv[3]))
            data[29:33] = struct.pack('>I', zlib.crc32(bytes(data[12:29])))
            open(sys.argv[1], 'wb').write(data)
            """, [path, "\(width)", "\(height)"])
    }

    /// The colour at (x, y) of frame `index` of a video or of a still, decoded by ffmpeg.
    public static func pixel(_ path: String, x: Int, y: Int, frame index: Int = 0) throws -> RGB {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("pixel.rgb").path
        let output = try run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", path, "-vf",
                "select=eq(n\\,\(index)),format=rgb24,crop=1:1:\(x):\(y)", "-frames:v", "1",
                "-f", "rawvideo", "-pix_fmt", "rgb24", raw,
            ])
        let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: raw))) ?? Data())
        guard output.status == 0, bytes.count >= 3 else {
            throw TestSetupError(description: "ffmpeg could not sample \(path): \(output.stderr)")
        }
        return RGB(Int(bytes[0]), Int(bytes[1]), Int(bytes[2]))
    }

    /// A still's or video's size, from ffprobe.
    public static func size(_ path: String) throws -> (width: Int, height: Int) {
        let output = try run(
            "/usr/bin/env",
            [
                "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height", "-of", "csv=p=0", path,
            ])
        let parts = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap {
            Int($0)
        }
        guard parts.count == 2 else {
            throw TestSetupError(description: "ffprobe could not size \(path): \(output.stderr)")
        }
        return (parts[0], parts[1])
    }
}
