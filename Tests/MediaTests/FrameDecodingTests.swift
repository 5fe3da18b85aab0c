import Foundation
import TestSupport
import Testing

@testable import Media

/// Frames read as viewers show them (issue #14): orientation first, transparency flattened onto the background,
/// every pixel layout users' tools write, HEIC and AVIF; each checked by pixels ffmpeg reads back from the output.
@Suite struct FrameDecodingTests {
    typealias RGB = TestStills.RGB
    static let quick = KenBurnsOptions(
        size: FrameSize(width: 360, height: 640), duration: 0.25, fps: 8, seed: 1, zoom: 1.0,
        preset: "ultrafast")

    /// Issue #14, reproduction 1: an 800x600 JPEG with EXIF Orientation 6 is a portrait photo, 600x800 upright
    /// with a red band on top. Stored, the band is on the left (the sensor's top is the photo's left).
    @Test func exifOrientationSixMakesAnUprightFilm() throws {
        let folder = try TemporaryFolder()
        let photo = folder.file("photo.jpg")
        try TestStills.banded(photo, width: 800, height: 600, band: 120, edge: "left", exifOrientation: 6)
        let portrait = folder.file("portrait.mp4")
        let landscape = folder.file("landscape.mp4")
        try KenBurns.render(image: photo, output: portrait, options: Self.quick)
        var wide = Self.quick
        wide.size = FrameSize(width: 640, height: 360)
        try KenBurns.render(image: photo, output: landscape, options: wide)
        // Upright and cover-cropped to 9:16 the band is the top of the film; the bottom is blue.
        #expect(try TestStills.pixel(portrait, x: 180, y: 10).near(.red))
        #expect(try TestStills.pixel(portrait, x: 180, y: 630).near(.blue))
        // Cropped to 16:9 the upright photo keeps its middle rows: all blue, no red band down the left side.
        #expect(try TestStills.pixel(landscape, x: 8, y: 180).near(.blue))
        #expect(try TestStills.pixel(landscape, x: 320, y: 8).near(.blue))
    }

    /// Every EXIF orientation, on a picture with a red top-left quadrant: where the red lands once upright.
    @Test(arguments: [(1, "tl"), (2, "tr"), (3, "br"), (4, "bl"), (5, "tl"), (6, "tr"), (7, "br"), (8, "bl")])
    func everyOrientationIsApplied(orientation: Int, corner: String) throws {
        let folder = try TemporaryFolder()
        let photo = folder.file("q.jpg")
        let prepared = folder.file("prepared.jpg")
        try TestStills.pillow(
            """
            im = Image.new('RGB', (96, 64), (0, 0, 255))
            ImageDraw.Draw(im).rectangle((0, 0, 47, 31), fill=(255, 0, 0))
            exif = Image.Exif(); exif[274] = int(sys.argv[2])
            im.save(sys.argv[1], quality=95, exif=exif.tobytes())
            """, [photo, "\(orientation)"])
        let report = try PreparedImage.write(source: photo, to: prepared)
        let (width, height) = orientation >= 5 ? (64, 96) : (96, 64)
        #expect(report.width == width && report.height == height)
        #expect(report.source.orientation.rawValue == orientation)
        let corners = ["tl": (4, 4), "tr": (width - 5, 4), "bl": (4, height - 5), "br": (width - 5, height - 5)]
        for (name, (x, y)) in corners {
            let expected: RGB = name == corner ? .red : .blue
            #expect(
                try TestStills.pixel(prepared, x: x, y: y).near(expected), "orientation \(orientation), corner \(name)")
        }
    }

    /// PNG's and WebP's own EXIF chunks are honoured like JPEG's.
    @Test(arguments: ["png", "webp"])
    func orientationOfPNGAndWebP(type: String) throws {
        let folder = try TemporaryFolder()
        let photo = folder.file("photo.\(type)")
        let prepared = folder.file("prepared.jpg")
        try TestStills.banded(photo, width: 200, height: 100, band: 30, edge: "left", exifOrientation: 6)
        let report = try PreparedImage.write(source: photo, to: prepared)
        #expect(report.width == 100 && report.height == 200)
        #expect(try TestStills.pixel(prepared, x: 50, y: 5).near(.red))
        #expect(try TestStills.pixel(prepared, x: 50, y: 195).near(.blue))
    }

    /// Issue #14, reproduction 2: magenta stored under fully transparent pixels never shows; the background does.
    @Test(arguments: [false, true])
    func transparencyShowsTheBackground(palette: Bool) throws {
        let folder = try TemporaryFolder()
        let image = folder.file("alpha.png")
        try TestStills.halfTransparent(image, palette: palette)
        var options = Self.quick
        options.size = FrameSize(width: 640, height: 360)
        let black = folder.file("black.mp4")
        let white = folder.file("white.mp4")
        try KenBurns.render(image: image, output: black, options: options)
        options.background = .white
        try KenBurns.render(image: image, output: white, options: options)
        #expect(try TestStills.pixel(black, x: 40, y: 180).near(.blue))
        #expect(try TestStills.pixel(black, x: 600, y: 180).near(.black))
        #expect(try TestStills.pixel(white, x: 600, y: 180).near(.white))
    }

    /// CMYK JPEG, 16-bit RGB PNG, grey PNG, palette PNG: the band stays red (or its grey) and on top.
    @Test(arguments: [
        ("jpg", "CMYK"), ("png", "I;16"), ("png", "L"), ("png", "P"), ("png", "RGBA"), ("webp", "RGB"), ("tiff", "RGB"),
    ])
    func pixelLayoutsKeepWorking(type: String, mode: String) throws {
        let folder = try TemporaryFolder()
        let image = folder.file("still.\(type)")
        let prepared = folder.file("prepared.jpg")
        if mode == "I;16" {
            // 16 bits a channel (Pillow writes 16-bit RGB through raw bytes).
            try TestStills.pillow(
                """
                w, h = 200, 120
                rows = []
                for y in range(h):
                    red = y < 30
                    px = (b'\\xff\\xff\\x00\\x00\\x00\\x00' if red else b'\\x00\\x00\\x00\\x00\\xff\\xff') * w
                    rows.append(px)
                import zlib, struct
                raw = b''.join(b'\\x00' + r for r in rows)
                def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
                open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 2, 0, 0, 0))
                    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
                """, [image])
        } else {
            try TestStills.banded(image, width: 200, height: 120, band: 30, mode: mode)
        }
        let report = try PreparedImage.write(source: image, to: prepared)
        #expect(report.width == 200 && report.height == 120)
        let top = try TestStills.pixel(prepared, x: 100, y: 5)
        let bottom = try TestStills.pixel(prepared, x: 100, y: 115)
        if mode == "L" {
            // Pillow's grey of red is 76, of blue 29.
            #expect(
                top.near(RGB(76, 76, 76), tolerance: 12) && bottom.near(RGB(29, 29, 29), tolerance: 12),
                "\(top) \(bottom)")
        } else {
            #expect(top.near(.red) && bottom.near(.blue), "\(mode) \(type): \(top) \(bottom)")
        }
    }

    /// HEIC and AVIF (issue #14, reproduction 4), made by libheif's encoder: decoded, upright, band on top.
    @Test(arguments: [false, true])
    func heifAndAVIFAreRead(avif: Bool) throws {
        let folder = try TemporaryFolder()
        let source = folder.file("source.png")
        let photo = folder.file(avif ? "IMG_0002.avif" : "IMG_0002.HEIC")
        try TestStills.banded(source, width: 320, height: 480, band: 80)
        try TestStills.heif(from: source, to: photo, avif: avif)
        let header = try PreparedImage.inspect(path: photo)
        #expect(header.format == (avif ? .avif : .heif) && header.width == 320 && header.height == 480)
        let film = folder.file("film.mp4")
        try KenBurns.render(image: photo, output: film, options: Self.quick)
        #expect(try TestStills.pixel(film, x: 180, y: 20).near(.red))
        #expect(try TestStills.pixel(film, x: 180, y: 600).near(.blue))
    }

    /// Empty, cut short, not an image, too large, too thin: refused from the header with the kind and the shape.
    @Test func unusableFramesAreNamedFromTheirHeader() throws {
        let folder = try TemporaryFolder()
        let empty = folder.file("frame_3.png")
        FileManager.default.createFile(atPath: empty, contents: Data())
        let photo = folder.file("photo.jpg")
        let cut = folder.file("cut.jpg")
        let text = folder.file("notes.jpg")
        try TestStills.banded(photo, width: 400, height: 300, band: 20)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: photo))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: text))
        let huge = folder.file("huge.png")
        let thin = folder.file("thin.png")
        // 20000x20000 RGBA: 1.6 GB decoded; the file itself is small (one colour compresses well).
        try TestStills.pillow("Image.new('RGBA', (20000, 20000), (0, 0, 255, 255)).save(sys.argv[1])", [huge])
        try TestStills.pillow("Image.new('RGB', (2000, 100), (0, 0, 255)).save(sys.argv[1])", [thin])
        func kind(_ path: String) -> String? {
            do {
                _ = try PreparedImage.inspect(path: path)
                return nil
            } catch { return error.kind }
        }
        #expect(kind(photo) == nil)
        #expect(kind(empty) == "empty")
        #expect(kind(cut) == "truncated")
        #expect(kind(text) == "undecodable")
        #expect(kind(huge) == "too-large")
        #expect(kind(thin) == "shape")
        // The refusal names the shape, and comes before any decoding (a decode would need 1.6 GB).
        do {
            try KenBurns.render(image: huge, output: folder.file("o.mp4"), options: Self.quick)
            Issue.record("a 20000x20000 frame was accepted")
        } catch {
            #expect(error.description.contains("20000x20000"))
            #expect(error.isInvalidInput)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("o.mp4")))
    }

    /// A stored frame known by its first MiB, last 64 KiB and size (what two ranged GETs give) gets the verdict its
    /// file gets, header and all; only a HEIF longer than the head is left to its preparation (nil).
    @Test func aFrameKnownByItsHeadAndTailGetsItsFilesVerdict() throws {
        let folder = try TemporaryFolder()
        let photo = folder.file("photo.jpg")
        let cut = folder.file("cut.jpg")
        let text = folder.file("notes.png")
        try TestStills.banded(photo, width: 800, height: 600, band: 120, edge: "left", exifOrientation: 6)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: photo))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: text))
        let huge = folder.file("huge.png")
        let heic = folder.file("small.heic")
        let cutHEIC = folder.file("cut.heic")
        try TestStills.claimingSize(huge, width: 100_000, height: 100_000)
        try TestStills.heif(from: photo, to: heic)
        let heicBytes = try Data(contentsOf: URL(fileURLWithPath: heic))
        try heicBytes.prefix(heicBytes.count / 2).write(to: URL(fileURLWithPath: cutHEIC))
        // 1.5 MB of noise: more than the head, so its picture data lies past it, as in a phone photo.
        let noise = folder.file("noise.png")
        let bigHEIC = folder.file("big.heic")
        try TestStills.pillow(
            "import os\nImage.frombytes('RGB', (1200, 1200), os.urandom(1200 * 1200 * 3)).save(sys.argv[1])", [noise])
        try TestStills.heif(from: noise, to: bigHEIC)
        let bigSize = try #require(try FileManager.default.attributesOfItem(atPath: bigHEIC)[.size] as? Int)
        try #require(bigSize > ImageHeader.headBytes, "the large HEIC is only \(bigSize) bytes")

        func verdicts(_ path: String) throws -> (file: String, stored: String) {
            let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let head = Array(data.prefix(ImageHeader.headBytes))
            let tail = Array(data[max(head.count, data.count - ImageHeader.tailBytes)...])
            func text(_ body: () throws(ImageProblem) -> ImageHeader?) -> String {
                do { return try body().map(\.summary) ?? "magic only" } catch { return error.kind }
            }
            return (
                text { () throws(ImageProblem) in try PreparedImage.inspect(path: path) },
                text { () throws(ImageProblem) in
                    try PreparedImage.inspect(head: head, tail: tail, fileSize: Int64(data.count))
                }
            )
        }
        for path in [photo, cut, text, huge, heic, cutHEIC] {
            let (file, stored) = try verdicts(path)
            #expect(file == stored, "\(path)")
        }
        #expect(try verdicts(photo).stored == "800x600 JPEG, \(ExifOrientation(rawValue: 6)?.phrase ?? "?")")
        #expect(try verdicts(cut).stored == "truncated")
        #expect(try verdicts(text).stored == "undecodable")
        #expect(try verdicts(huge).stored == "too-large")
        #expect(try verdicts(heic).stored == "800x600 HEIF" || verdicts(heic).stored == "600x800 HEIF")
        let cutVerdict = try verdicts(cutHEIC)
        #expect(cutVerdict.stored == "truncated", "\(cutVerdict)")
        let big = try verdicts(bigHEIC)
        #expect(big.file == "1200x1200 HEIF" && big.stored == "magic only", "\(big)")
    }

    /// The prepared image is the same bytes for the same frame (so reruns reuse it and clip keys stay put).
    @Test func preparationIsDeterministic() throws {
        let folder = try TemporaryFolder()
        let photo = folder.file("p.png")
        try TestStills.halfTransparent(photo)
        try PreparedImage.write(source: photo, to: folder.file("a.jpg"))
        try PreparedImage.write(source: photo, to: folder.file("b.jpg"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: folder.file("a.jpg")))
                == Data(contentsOf: URL(fileURLWithPath: folder.file("b.jpg"))))
    }
}
