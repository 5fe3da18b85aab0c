import Foundation
import TestSupport
import Testing

@testable import Media

/// Ken Burns keyframe chains (issue #18): a chained clip opens as an unchained one does and ends on the picture the
/// next clip opens with, so the joins of a chain disappear (ffmpeg's psnr filter the oracle).
@Suite struct KenBurnsChainTests {
    static let options = KenBurnsOptions(
        size: FrameSize(width: 320, height: 180), duration: 1, fps: 24, seed: 11, preset: "veryfast")

    /// Three real-looking stills of different sizes and shapes: the project's example frames.
    static func stills() -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return ["frame_01_dawn.jpg", "frame_02_fractal.jpg", "frame_03_ripples.jpg"].map {
            root.appendingPathComponent("examples/frames/\($0)").path
        }
    }

    @Test func eachChainedClipEndsOnThePictureTheNextClipOpensWith() throws {
        let folder = try TemporaryFolder()
        let stills = Self.stills()
        let seeds: [UInt64] = [11, 22, 33]
        var clips: [String] = []
        for index in stills.indices {
            var options = Self.options
            options.seed = seeds[index]
            let clip = folder.file("clip\(index).mp4")
            // A loop: the last clip ends on the first frame's opening view.
            let next = (index + 1) % stills.count
            try KenBurns.render(
                image: stills[index], output: clip, options: options,
                endingOn: KenBurnsEnding(image: stills[next], seed: seeds[next]))
            #expect(try Oracle.decodeErrors(clip) == "")
            #expect(try Oracle(clip).video?.frames == 24)
            clips.append(clip)
        }
        for index in clips.indices {
            let psnr = try JoinOracle.psnr(lastOf: clips[index], firstOf: clips[(index + 1) % clips.count])
            #expect(psnr > 35, "the join after clip \(index) is \(psnr) dB")
        }

        // The same measure finds the jump an unchained clip makes at the join.
        let unchained = folder.file("unchained.mp4")
        try KenBurns.render(image: stills[0], output: unchained, options: Self.options)
        let jump = try JoinOracle.psnr(lastOf: unchained, firstOf: clips[1])
        #expect(jump < 25, "an unchained join is \(jump) dB")
    }

    @Test func aChainedClipOpensWhereTheUnchainedClipOfItsFrameOpens() throws {
        let folder = try TemporaryFolder()
        let stills = Self.stills()
        let chained = folder.file("chained.mp4")
        let alone = folder.file("alone.mp4")
        try KenBurns.render(
            image: stills[0], output: chained, options: Self.options,
            endingOn: KenBurnsEnding(image: stills[1], seed: 5))
        try KenBurns.render(image: stills[0], output: alone, options: Self.options)
        let first = folder.file("chained.png")
        let other = folder.file("alone.png")
        try JoinOracle.picture(of: chained, at: .first, to: first)
        try JoinOracle.picture(of: alone, at: .first, to: other)
        let psnr = try JoinOracle.psnr(first, other)
        // The same view; the chained opening is encoded finer (a join), so the two encodes differ a little.
        #expect(psnr > 40, "the openings differ: \(psnr) dB")
        // And it does not end where the unchained clip ends.
        let ends = try JoinOracle.psnr(lastOf: chained, firstOf: alone)
        #expect(ends < 25, "the chained clip ends on its own frame: \(ends) dB")
    }

    @Test(arguments: [(24, 24), (120, 24), (5, 24), (2, 24), (1, 24), (48, 12)])
    func theDissolveRisesFromNothingToTheNextViewAndHoldsIt(count: Int, fps: Int) {
        let weights = (0..<count).map { KenBurnsEnding.weight(index: $0, count: count, fps: fps) }
        #expect(weights.last == 256)
        #expect(zip(weights, weights.dropFirst()).allSatisfy { $0 <= $1 }, "\(weights)")
        if count >= 5 {
            #expect(weights.first == 0, "\(weights)")
            #expect(weights.contains { $0 > 0 && $0 < 256 }, "no dissolve: \(weights)")
            // At most a second of dissolve and a quarter second of hold: the rest is the frame's own motion.
            #expect(weights.filter { $0 == 0 }.count >= count - fps - max(1, fps / 4), "\(weights)")
        }
    }
}
