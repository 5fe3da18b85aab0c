/// Lays each clip's audio (or silence) over exactly its video duration and, at a join with a transition, mixes
/// the end of one clip into the start of the next, so audio and video stay in step across joins.
final class AudioTimeline {
    private let encoder: AudioEncoder
    private var previousTail: [[Float]]
    private var tail: [[Float]]
    private var clipSamples = 0, position = 0, overlapAfter = 0

    var channels: Int { encoder.channels }
    var rate: Int { encoder.rate }

    init(encoder: AudioEncoder) {
        self.encoder = encoder
        previousTail = Array(repeating: [], count: encoder.channels)
        tail = previousTail
    }

    /// Starts a clip of `samples` samples whose last `overlapAfter` samples are mixed into the next clip's first ones.
    func beginClip(samples: Int, overlapAfter: Int) {
        previousTail = tail
        tail = Array(repeating: [], count: encoder.channels)
        clipSamples = samples
        position = 0
        self.overlapAfter = overlapAfter
    }

    /// Adds the clip's next samples; anything past the clip's length is dropped.
    func push(_ planes: [[Float]]) throws(MediaError) {
        let count = min(planes.first?.count ?? 0, clipSamples - position)
        guard count > 0 else { return }
        var out = Array(repeating: [Float](), count: encoder.channels)
        let fadeIn = previousTail[0].count
        for i in 0..<count {
            let p = position + i
            if p < fadeIn {
                let weight = Float(p + 1) / Float(fadeIn + 1)
                for c in 0..<encoder.channels {
                    out[c].append(previousTail[c][p] * (1 - weight) + planes[c][i] * weight)
                }
            } else if p >= clipSamples - overlapAfter {
                for c in 0..<encoder.channels { tail[c].append(planes[c][i]) }
            } else {
                for c in 0..<encoder.channels { out[c].append(planes[c][i]) }
            }
        }
        position += count
        if !out[0].isEmpty { try encoder.append(out) }
    }

    /// Pads the clip with silence up to its length (clips without audio, or with short audio).
    func endClip() throws(MediaError) {
        while position < clipSamples {
            let count = min(4096, clipSamples - position)
            try push(Array(repeating: [Float](repeating: 0, count: count), count: encoder.channels))
        }
    }

    func finish() throws(MediaError) { try encoder.finish() }
}
