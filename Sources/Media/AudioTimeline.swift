/// Lays each clip's audio (or silence) over exactly its video duration and, with a crossfade, mixes the
/// end of one clip into the start of the next, so audio and video stay in step across joins.
final class AudioTimeline {
    private let encoder: AudioEncoder
    private let overlap: Int
    private var previousTail: [[Float]]
    private var tail: [[Float]]
    private var clipSamples = 0, position = 0, hasNext = false

    var channels: Int { encoder.channels }
    var rate: Int { encoder.rate }

    init(encoder: AudioEncoder, overlap: Int) {
        self.encoder = encoder
        self.overlap = overlap
        previousTail = Array(repeating: [], count: encoder.channels)
        tail = previousTail
    }

    func beginClip(samples: Int, hasNext: Bool) {
        previousTail = tail
        tail = Array(repeating: [], count: encoder.channels)
        clipSamples = samples
        position = 0
        self.hasNext = hasNext
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
                let weight = Float(p + 1) / Float(overlap + 1)
                for c in 0..<encoder.channels {
                    out[c].append(previousTail[c][p] * (1 - weight) + planes[c][i] * weight)
                }
            } else if hasNext && p >= clipSamples - overlap {
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
