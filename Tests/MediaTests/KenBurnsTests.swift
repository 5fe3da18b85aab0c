import Foundation
import Testing

@testable import Media

@Suite struct KenBurnsTests {
    static let small = KenBurnsOptions(
        size: FrameSize(width: 320, height: 180), duration: 1, fps: 24, seed: 7, preset: "veryfast")

    @Test func rendersRequestedSizeDurationAndRateFromAPortraitJPEG() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("still.jpg")
        let output = folder.file("kb.mp4")
        try ClipMaker.image(image, size: "600x900")
        let report = try KenBurns.render(image: image, output: output, options: Self.small)
        #expect(report.frames == 24)
        let oracle = try Oracle(output)
        #expect(oracle.streams.count == 1)
        #expect(oracle.video?.codec == "h264")
        #expect(oracle.video?.width == 320 && oracle.video?.height == 180)
        #expect(oracle.video?.frameRate == "24/1")
        #expect(oracle.video?.frames == 24)
        #expect(abs(oracle.duration - 1.0) <= 1.0 / 24)
        #expect(try Oracle.decodeErrors(output) == "")
        #expect(try Oracle.moovFirst(output))
    }

    @Test func defaultIs1280x720At24FromPNG() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("still.png")
        let output = folder.file("kb.mp4")
        try ClipMaker.image(image, size: "1600x1200")
        var options = KenBurnsOptions(duration: 0.5, preset: "ultrafast")
        options.seed = 3
        _ = try KenBurns.render(image: image, output: output, options: options)
        let oracle = try Oracle(output)
        #expect(oracle.video?.width == 1280 && oracle.video?.height == 720)
        #expect(oracle.video?.frames == 12)
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func acceptsWebP() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("still.webp")
        let output = folder.file("kb.mp4")
        try ClipMaker.image(image, size: "400x300")
        _ = try KenBurns.render(image: image, output: output, options: Self.small)
        #expect(try Oracle(output).video?.frames == 24)
    }

    @Test(arguments: 0..<16)
    func cameraMovesByFractionsOfAPixelWithoutSteps(seed: UInt64) {
        let path = KenBurnsPath(canvasWidth: 1472, canvasHeight: 828, zoom: 1.15, seed: seed)
        let frames = 120
        let rects = (0..<frames).map { path.rect(at: Double($0) / Double(frames - 1)) }
        let steps = zip(rects, rects.dropFirst()).map { abs($1.x - $0.x) + abs($1.width - $0.width) }
        #expect(steps.allSatisfy { $0 < 6 })  // slow: a few canvas pixels per frame at most
        #expect(rects.filter { $0.x != $0.x.rounded() }.count > frames / 2)  // sub-pixel, not snapped
        // Smooth: successive steps change gradually; whole-pixel stepping (0, 1, 0, 1) would change a step by a
        // pixel from one frame to the next. (The eased curve itself changes steps by at most ~0.14 px here.)
        let accelerations = zip(steps, steps.dropFirst()).map { abs($1 - $0) }
        #expect(accelerations.allSatisfy { $0 < 0.25 }, "largest change of step: \(accelerations.max() ?? 0)")
        #expect(
            rects.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 1472.0001 && $0.y + $0.height <= 828.0001 })
    }

    @Test func seedPicksDirection() {
        let directions = Set(
            (0..<16).map { KenBurnsPath(canvasWidth: 100, canvasHeight: 100, zoom: 1.2, seed: UInt64($0)).zoomsIn })
        #expect(directions == [true, false])
    }

    @Test func textFileIsNotAnImage() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("fake.png")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: image))
        do {
            try KenBurns.render(image: image, output: folder.file("o.mp4"), options: Self.small)
            Issue.record("accepted a text file")
        } catch {
            guard case .unusableImage(let path, .undecodable) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == image)
        }
        #expect(folder.contents() == ["fake.png"])
    }

    @Test func videoIsNotAnImage() throws {
        let folder = try TemporaryFolder()
        do {
            try KenBurns.render(image: Fixtures.shared.silent[0], output: folder.file("o.mp4"), options: Self.small)
            Issue.record("accepted a video")
        } catch {
            guard case .unusableImage(_, .undecodable) = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
    }

    @Test func onePixelImageIsRefusedClearly() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("dot.png")
        // A valid 1x1 PNG (lavfi cannot make one).
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        try #require(Data(base64Encoded: png)).write(to: URL(fileURLWithPath: image))
        do {
            try KenBurns.render(image: image, output: folder.file("o.mp4"), options: Self.small)
            Issue.record("a 1x1 image was accepted")
        } catch {
            guard case .unusableImage(image, .unusableShape(width: 1, height: 1, _)) = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
        #expect(folder.contents() == ["dot.png"])
    }

    @Test func hugeImageIsRefusedWithoutDecodingIt() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("huge.jpg")
        try ClipMaker.image(image, size: "12000x12000", pattern: "color=c=blue")
        #expect(
            throws: MediaError.unusableImage(
                path: image,
                problem: .tooLarge(
                    width: 12000, height: 12000, bytesPerPixel: 3,
                    limitBytes: ImageLimits.maxDecodedBytes))
        ) {
            try KenBurns.render(image: image, output: folder.file("o.mp4"), options: Self.small)
        }
        #expect(folder.contents() == ["huge.jpg"])
    }

    @Test func missingImageIsNamed() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("nope.png")
        #expect(throws: MediaError.fileNotFound(path: image)) {
            try KenBurns.render(image: image, output: folder.file("o.mp4"), options: Self.small)
        }
    }
}
