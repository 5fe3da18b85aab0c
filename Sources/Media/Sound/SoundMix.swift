import Foundation

/// The soundtrack's mix, made block by block in film order: the clips' own sound, the voices each from its place,
/// and the music (looped, faded, at its level, lowered under the voices), summed. Every source is decoded as it is
/// needed, so memory stays at a block's worth whatever the film's length.
final class SoundMix {
    /// Samples per block: 100 ms, ten ducking windows.
    static let blockSize = 4_800
    /// Samples per ducking window: 10 ms.
    static let window = 480

    private let recipe: SoundtrackRecipe
    /// Samples in the film.
    let length: Int
    private var position = 0
    private let clip: AudioReader?
    private var music: AudioReader?
    /// Whether the music file now read has given any sample (one that gives none is not looped).
    private var musicHeard = false
    private let musicGain: Float
    private var voices: [(start: Int, path: String, reader: AudioReader?, done: Bool)]
    private var envelope: DuckingEnvelope?
    private(set) var warnings: [String] = []

    /// A mix of `recipe` over `seconds` of film; `film` is read for its own sound when the recipe keeps it.
    init(recipe: SoundtrackRecipe, film: String, seconds: Double) throws(MediaError) {
        self.recipe = recipe
        length = max(0, Int((seconds * Double(StereoSamples.rate)).rounded()))
        if recipe.keepClipAudio {
            do {
                clip = try AudioReader(path: film, onTimeline: true)
            } catch .notMedia {
                clip = nil  // a silent film: nothing of its own to keep
            }
        } else {
            clip = nil
        }
        if let music = recipe.music {
            self.music = try AudioReader(path: music.path)
            musicGain = Float(pow(10, music.level / 20))
        } else {
            musicGain = 1
        }
        voices = recipe.voices.map { voice in
            (Int((voice.start * Double(StereoSamples.rate)).rounded()), voice.path, nil, false)
        }
        envelope = recipe.ducking.map { DuckingEnvelope(depth: $0.depth, attack: $0.attack, release: $0.release) }
        // Every voice file is opened now, so that one that is not audio fails before any work.
        for voice in recipe.voices {
            _ = try AudioReader(path: voice.path)
            if voice.start >= seconds {
                warnings.append(
                    "the voice file \(URL(fileURLWithPath: voice.path).lastPathComponent) starts at "
                        + "\(voice.start) s, after the film's end (\(seconds) s); it is not heard")
            }
        }
    }

    /// Whether every block has been made.
    var isFinished: Bool { position >= length }

    /// The next block (at most `blockSize` samples; empty at the end).
    func next() throws(MediaError) -> StereoSamples {
        let count = min(Self.blockSize, length - position)
        guard count > 0 else { return StereoSamples() }
        var mix = StereoSamples.silence(count)
        if let clip { add(try clip.read(count), to: &mix, at: 0) }
        var voice = StereoSamples.silence(count)
        for index in voices.indices where !voices[index].done {
            let start = voices[index].start
            guard start < position + count else { continue }
            if voices[index].reader == nil {
                voices[index].reader = try AudioReader(path: voices[index].path)
            }
            guard let reader = voices[index].reader else { continue }
            let offset = max(0, start - position)
            add(try reader.read(count - offset), to: &voice, at: offset)
            if reader.isFinished {
                voices[index].reader = nil
                voices[index].done = true
            }
        }
        if music != nil {
            var bed = try musicSamples(count)
            shape(&bed, voice: voice)
            add(bed, to: &mix, at: 0)
        }
        add(voice, to: &mix, at: 0)
        position += count
        if position >= length {
            let late = voices.filter { !$0.done && $0.reader != nil }
            for voice in late {
                warnings.append(
                    "the voice file \(URL(fileURLWithPath: voice.path).lastPathComponent) runs past the film's end; "
                        + "its end is cut")
            }
        }
        return mix
    }

    /// `count` samples of music, starting it again from its beginning as often as it ends (looped to the film).
    private func musicSamples(_ count: Int) throws(MediaError) -> StereoSamples {
        guard let recipe = recipe.music else { return StereoSamples.silence(count) }
        var samples = StereoSamples()
        while samples.count < count, let reader = music {
            let part = try reader.read(count - samples.count)
            samples.left += part.left
            samples.right += part.right
            if part.count > 0 { musicHeard = true }
            if reader.isFinished {
                // A file that gave nothing from its start cannot be looped: the rest is silence.
                music = musicHeard ? try AudioReader(path: recipe.path) : nil
                musicHeard = false
            }
        }
        if samples.count < count {
            samples.left += [Float](repeating: 0, count: count - samples.count)
            samples.right += [Float](repeating: 0, count: count - samples.count)
        }
        return samples
    }

    /// The music's level, fades and ducking applied: the gain is worked out at each 10 ms window's edges and
    /// interpolated across it, so that it never steps.
    private func shape(_ bed: inout StereoSamples, voice: StereoSamples) {
        guard let settings = recipe.music else { return }
        let rate = Double(StereoSamples.rate)
        let total = Double(length) / rate
        func gain(at sample: Int, ducked decibels: Double) -> Float {
            let time = Double(position + sample) / rate
            var gain = Double(musicGain) * pow(10, decibels / 20)
            if settings.fadeIn > 0 { gain *= min(1, time / settings.fadeIn) }
            if settings.fadeOut > 0 { gain *= max(0, min(1, (total - time) / settings.fadeOut)) }
            return Float(gain)
        }
        var windowStart = 0
        while windowStart < bed.count {
            let windowEnd = min(windowStart + Self.window, bed.count)
            let before = envelope?.gain ?? 0
            let heard = DuckingEnvelope.heard(
                voice.left[windowStart..<windowEnd], voice.right[windowStart..<windowEnd])
            let after = envelope?.advance(heard: heard, seconds: Double(windowEnd - windowStart) / rate) ?? 0
            let from = gain(at: windowStart, ducked: before)
            let to = gain(at: windowEnd, ducked: after)
            let step = (to - from) / Float(windowEnd - windowStart)
            var current = from
            for index in windowStart..<windowEnd {
                current += step
                bed.left[index] *= current
                bed.right[index] *= current
            }
            windowStart = windowEnd
        }
    }

    private func add(_ samples: StereoSamples, to mix: inout StereoSamples, at offset: Int) {
        let count = min(samples.count, mix.count - offset)
        guard count > 0 else { return }
        for index in 0..<count {
            mix.left[offset + index] += samples.left[index]
            mix.right[offset + index] += samples.right[index]
        }
    }
}
