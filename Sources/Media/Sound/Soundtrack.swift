import CFFmpeg
import Foundation

/// A film's sound made again (`SoundtrackRecipe`) and the film written with it, the picture stream-copied.
public enum Soundtrack {
    /// How far the integrated loudness may land from the target before the gain is set again and the limiter run
    /// once more (it lowers the loudness when it works hard).
    static let tolerance = 0.5
    /// Headroom kept under the true-peak ceiling by the sample-peak limiter, for the peaks between samples and those
    /// the AAC or Opus encoder adds.
    static let limiterHeadroom = 1.0
    /// Passes of gain and limiting at most.
    static let maximumPasses = 3
    /// How far from the target the finished sound may be before the report warns (the issue's ±1 LU).
    static let reportedMiss = 1.0

    /// Writes `output` (in `format`'s container: AAC 48 kHz stereo in MP4, Opus in WebM) with `film`'s picture,
    /// subtitles, chapters and metadata copied and the recipe's sound: mixed (`SoundMix`), measured (EBU R128,
    /// libavfilter's `ebur128`), brought to the target by a gain and held under the ceiling by a limiter (`alimiter`,
    /// with headroom for the peaks between samples and the encoder's), encoded, and measured again as decoded (an
    /// encoder's low-pass takes loudness from bright sound): when that is off the target by more than `tolerance`,
    /// the gain is corrected and the sound encoded again. Scratch files go in `scratch`. Polls `shouldStop`; throws
    /// `MediaError.cancelled` with nothing written when it turns true, and `MediaError` for a film or file it cannot
    /// read or write.
    public static func render(
        film: String, output: String, format: OutputFormat, recipe: SoundtrackRecipe, scratch: String,
        shouldStop: () -> Bool = { false }
    ) throws(MediaError) -> SoundtrackReport {
        MediaLibraries.prepare()
        let seconds = try PictureSeconds.of(film)
        let mixPath = (scratch as NSString).appendingPathComponent("mix-\(UUID().uuidString).f32")
        defer { unlink(mixPath) }
        // Pass 1: the mix, kept on disk as raw samples, and its loudness.
        let mix = try SoundMix(recipe: recipe, film: film, seconds: seconds)
        let measured = try mixAndMeasure(mix, to: mixPath, shouldStop: shouldStop, output: output)
        var warnings = mix.warnings
        var gain = measured.map { recipe.loudnessTarget - $0 } ?? 0
        if measured == nil {
            warnings.append("the mix is silent, so its loudness cannot be brought to \(recipe.loudnessTarget) LUFS")
        }
        // Pass 2 (and rarely more): gain, limiter, encoding with the picture copied alongside; the result measured.
        var passes = 0
        var integrated: Double?
        while true {
            passes += 1
            try encode(
                mixPath, samples: mix.length, film: film, output: output, format: format, gain: gain,
                ceiling: recipe.truePeak, shouldStop: shouldStop)
            guard measured != nil else { break }
            integrated = try encodedLoudness(output, shouldStop: shouldStop)
            guard let integrated, passes < maximumPasses, abs(integrated - recipe.loudnessTarget) > tolerance else {
                break
            }
            gain += recipe.loudnessTarget - integrated
        }
        if let integrated, abs(integrated - recipe.loudnessTarget) > reportedMiss {
            warnings.append(missedTarget(integrated, recipe: recipe))
        }
        return SoundtrackReport(
            measured: measured, gain: gain, integrated: integrated, passes: passes, warnings: warnings)
    }

    /// Says how far the finished sound is from the target and why: a ceiling close to (or under) the target keeps the
    /// limiter from letting the sound get as loud as asked.
    static func missedTarget(_ integrated: Double, recipe: SoundtrackRecipe) -> String {
        let reached = String(format: "%.1f", integrated)
        let target = String(format: "%.1f", recipe.loudnessTarget)
        let ceiling = String(format: "%.1f", recipe.truePeak)
        if integrated < recipe.loudnessTarget {
            return
                "the sound reaches \(reached) LUFS, not the loudness target \(target) LUFS: the true-peak ceiling of \(ceiling) dBTP holds it down; lower the target or raise truePeak"
        }
        return "the sound reaches \(reached) LUFS, above the loudness target \(target) LUFS"
    }

    /// Writes every block of `mix` to `path` (interleaved Float32) and returns its integrated loudness.
    private static func mixAndMeasure(
        _ mix: SoundMix, to path: String, shouldStop: () -> Bool, output: String
    ) throws(MediaError) -> Double? {
        guard let file = fopen(path, "wb") else {
            throw .outputFailed(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        let meter = try LoudnessMeter(path: path)
        while !mix.isFinished {
            if shouldStop() { throw .cancelled(path: output) }
            let block = try mix.next()
            try RawSamples.write(block, to: file, path: path)
            try meter.add(block)
        }
        return try meter.finish()
    }

    /// The integrated loudness of the sound of `path` as a player decodes it.
    private static func encodedLoudness(_ path: String, shouldStop: () -> Bool) throws(MediaError) -> Double? {
        let reader = try AudioReader(path: path)
        let meter = try LoudnessMeter(path: path)
        while !reader.isFinished {
            if shouldStop() { throw .cancelled(path: path) }
            try meter.add(try reader.read(SoundMix.blockSize))
        }
        return try meter.finish()
    }

    /// Encodes the raw mix at `path` with `gain` dB and the limiter into `output`, with the film's picture copied.
    private static func encode(
        _ path: String, samples: Int, film: String, output: String, format: OutputFormat, gain: Double,
        ceiling: Double, shouldStop: () -> Bool
    ) throws(MediaError) {
        guard let file = fopen(path, "rb") else {
            throw .decodingFailed(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        let out = try OutputFile(path: output, format: format.rawValue)
        let picture = try PictureCopy(film: film, into: out)
        let start = Int64((picture.pictureStart * Double(StereoSamples.rate)).rounded())
        let encoder = try AudioEncoder(
            output: out, format: format, channels: 2, rate: StereoSamples.rate, start: start)
        try out.writeHeader(faststart: format == .mp4)
        let limit = pow(10, (ceiling - limiterHeadroom) / 20)
        let chain =
            String(format: "volume=%.4fdB:precision=float,", gain)
            + String(format: "alimiter=limit=%.6f:level=0:latency=1:attack=5:release=50,", min(1, max(0.0625, limit)))
            + "aformat=sample_fmts=fltp"
        let graph = try AudioFilterGraph(
            description: chain, input: .init(stereoFloatAt: Int32(StereoSamples.rate)), path: path)
        let filtered = try Frame()
        var pts: Int64 = 0
        var encoded: Int64 = 0
        func drain() throws(MediaError) {
            while try graph.pull(into: filtered, path: path) {
                var block = StereoSamples()
                block.append(planarStereo: filtered)
                try encoder.append([block.left, block.right])
                encoded += Int64(block.count)
                // The picture up to the sound encoded so far, so that the muxer interleaves as it goes.
                try picture.copy(until: Double(start + encoded) / Double(StereoSamples.rate))
            }
        }
        while pts < Int64(samples) {
            if shouldStop() { throw .cancelled(path: output) }
            let block = try RawSamples.read(min(SoundMix.blockSize, samples - Int(pts)), from: file, path: path)
            guard block.count > 0 else { break }
            try graph.push(try block.frame(pts: pts), path: path)
            pts += Int64(block.count)
            try drain()
        }
        try graph.push(nil, path: path)
        try drain()
        try encoder.finish()
        try picture.copy(until: nil)
        try out.finish()
    }
}
