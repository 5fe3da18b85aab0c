import Foundation

/// Where a chained Ken Burns clip ends (issue #18): on the next frame's opening view, the very picture the next
/// clip starts with, so that the clips joined play as one shot.
public struct KenBurnsEnding: Sendable, Equatable {
    /// The next frame's image (any format `KenBurns.render` reads).
    public var image: String
    /// The seed the next frame's own clip is rendered with: it chooses that clip's opening view.
    public var seed: UInt64

    public init(image: String, seed: UInt64) {
        self.image = image
        self.seed = seed
    }

    /// The weight of the next frame's view, 0...256, in frame `index` of `count` at `fps`: nothing at first, then a
    /// dissolve of up to a second eased in and out, then a hold of up to a quarter second on the next view alone (at
    /// least the last frame), so the encoder settles on the picture the next clip opens with.
    static func weight(index: Int, count: Int, fps: Int) -> Int {
        let hold = max(1, min(fps / 4, count / 6))
        let dissolve = max(0, min(fps, count / 2, count - hold))
        let start = count - hold - dissolve
        guard index >= start else { return 0 }
        guard index < count - hold, dissolve > 0 else { return 256 }
        let progress = Double(index - start + 1) / Double(dissolve + 1)
        return Int((256 * (0.5 - 0.5 * cos(Double.pi * progress))).rounded())
    }
}
