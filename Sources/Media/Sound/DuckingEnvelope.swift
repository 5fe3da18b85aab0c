/// The music's gain under a voice, in dB: it goes down by `depth` while the voice is heard, in a straight line (in dB)
/// over `attack` seconds, and back to 0 over `release` seconds after the voice stops. Advanced one window of samples
/// at a time from whether the voice is heard in it; pure, so it is tested without audio.
public struct DuckingEnvelope: Sendable, Equatable {
    /// dB down while a voice is heard (positive).
    public let depth: Double
    public let attack: Double
    public let release: Double
    /// The gain now, in dB (0 or below).
    public private(set) var gain: Double = 0

    /// The level (RMS, relative to full scale) above which a voice counts as heard: -50 dBFS, above a recording's
    /// noise floor and below speech.
    public static let threshold: Float = 0.003_162

    public init(depth: Double, attack: Double, release: Double) {
        self.depth = max(0, depth)
        self.attack = attack
        self.release = release
    }

    /// The gain after `seconds` more with the voice heard or not.
    public mutating func advance(heard: Bool, seconds: Double) -> Double {
        if heard {
            let step = attack > 0 ? depth * seconds / attack : depth
            gain = max(-depth, gain - step)
        } else {
            let step = release > 0 ? depth * seconds / release : depth
            gain = min(0, gain + step)
        }
        return gain
    }

    /// Whether samples are heard as voice: their RMS over both channels is above `threshold`.
    static func heard(_ left: ArraySlice<Float>, _ right: ArraySlice<Float>) -> Bool {
        guard !left.isEmpty else { return false }
        var sum: Float = 0
        for value in left { sum += value * value }
        for value in right { sum += value * value }
        return (sum / Float(left.count + right.count)).squareRoot() > threshold
    }
}
