import Foundation
import Testing

@testable import Media

@Suite struct ThumbnailTests {
    let fixtures = Fixtures.shared

    /// The picture's pixels as 8-bit gray, decoded by ffmpeg.
    func grayBytes(_ path: String) throws -> [UInt8] {
        try decodedPixels(path, format: "gray")
    }

    @Test func frameAtTimeIsThePictureShownThenAtTheRequestedWidth() throws {
        let folder = try TemporaryFolder()
        let clip = folder.file("dark-then-white.mp4")
        try ClipMaker.clip(
            clip, audio: false, pattern: "color=c=black", extra: ["-vf", "drawbox=c=white:t=fill:enable='gte(t,0.5)'"])
        let early = folder.file("early.png")
        let late = folder.file("late.png")
        try Thumbnails.frame(of: clip, at: 0.25, width: 160, output: early)
        try Thumbnails.frame(of: clip, at: 0.75, width: 160, output: late)
        let oracle = try Oracle(early)
        #expect(oracle.video?.codec == "png")
        #expect(oracle.video?.width == 160 && oracle.video?.height == 120)
        let dark = try grayBytes(early)
        let bright = try grayBytes(late)
        #expect(dark.count == 160 * 120 && bright.count == 160 * 120)
        #expect(dark.allSatisfy { $0 < 40 })
        #expect(bright.allSatisfy { $0 > 215 })
    }

    @Test func contactSheetIsAGridWithIndexLabels() throws {
        let folder = try TemporaryFolder()
        let sheet = folder.file("sheet.png")
        let black = folder.file("black.mp4")
        try ClipMaker.clip(black, audio: false, pattern: "color=c=black")
        try Thumbnails.contactSheet(of: [black, black, black], output: sheet, columns: 2, thumbnailWidth: 160)
        let oracle = try Oracle(sheet)
        #expect(oracle.video?.width == 8 + 2 * (160 + 8))
        #expect(oracle.video?.height == 8 + 2 * (120 + 8))
        let pixels = try grayBytes(sheet)
        let width = 344
        func pixel(_ x: Int, _ y: Int) -> UInt8 { pixels[y * width + x] }
        // The label "1" in the first tile is white on black; the tile body is black; the gap is gray.
        let label = (8..<(8 + 9 * 2)).flatMap { y in (8..<(8 + 12)).map { x in pixel(x, y) } }
        #expect(label.contains { $0 > 200 })
        #expect(pixel(8 + 100, 8 + 100) < 30)
        #expect(pixel(2, 2) == 32)
        // The fourth cell (no clip) stays background.
        #expect(pixel(8 + 168 + 80, 8 + 128 + 60) == 32)
    }

    @Test func timePastTheEndIsInvalid() throws {
        let folder = try TemporaryFolder()
        do {
            try Thumbnails.frame(of: fixtures.silent[0], at: 5, width: 100, output: folder.file("t.png"))
            Issue.record("accepted a time past the end")
        } catch {
            guard case .invalidOption = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
        #expect(folder.contents().isEmpty)
    }

    @Test func nonMediaIsNamed() throws {
        let folder = try TemporaryFolder()
        #expect(throws: MediaError.self) {
            try Thumbnails.frame(of: fixtures.textFile, at: 0, width: 100, output: folder.file("t.png"))
        }
        #expect(folder.contents().isEmpty)
    }
}
