import Foundation
import Synchronization
import Testing

@testable import Media

/// Says "stop" from the `after`-th question on (thread-safe, as `shouldStop` requires).
final class StopAfter: Sendable {
    private let asked = Mutex(0)
    let after: Int
    init(_ after: Int) { self.after = after }
    func callAsFunction() -> Bool {
        asked.withLock {
            $0 += 1
            return $0 > after
        }
    }
}

@Suite struct CancellationTests {
    let fixtures = Fixtures.shared

    @Test(arguments: [MergeMode.copy, .reencode])
    func stoppedMergeThrowsCancelledAndLeavesNothing(mode: MergeMode) throws {
        let folder = try TemporaryFolder()
        let output = folder.file("o.mp4")
        let stop = StopAfter(2)
        var options = MergeOptions(mode: mode)
        options.preset = "ultrafast"
        #expect(throws: MediaError.cancelled(path: output)) {
            try ClipMerger.merge(inputs: fixtures.withAudio, output: output, options: options, shouldStop: { stop() })
        }
        #expect(folder.contents().isEmpty)
    }

    @Test func stoppedKenBurnsThrowsCancelledAndLeavesNothing() throws {
        let folder = try TemporaryFolder()
        let image = folder.file("still.png")
        let output = folder.file("kb.mp4")
        try ClipMaker.image(image, size: "320x240")
        let stop = StopAfter(5)
        let options = KenBurnsOptions(size: FrameSize(width: 160, height: 90), duration: 1, preset: "ultrafast")
        #expect(throws: MediaError.cancelled(path: output)) {
            try KenBurns.render(image: image, output: output, options: options, shouldStop: { stop() })
        }
        #expect(folder.contents() == ["still.png"])
    }
}
