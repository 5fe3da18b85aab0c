import Foundation

/// Clips marked for measuring sync and geometry, made with ffmpeg's lavfi sources.
enum MarkedClip {
    /// A clip whose picture is black but for one white frame at `flash` s and whose sound is silent but
    /// for a 1 kHz beep starting at the same instant (0.1 s long). `audioSeconds` may differ from
    /// `seconds` (audio running past the picture, or stopping short); `audioCodec` "aac" or "libopus".
    static func flashAndBeep(
        _ path: String, seconds: Double = 2, audioSeconds: Double? = nil, flash: Double = 0.5,
        size: String = "160x90", fps: Int = 24, audioCodec: String = "aac", extra: [String] = []
    ) throws {
        let frame = 1.0 / Double(fps)
        let arguments =
            [
                "ffmpeg", "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", "color=c=black:s=\(size):r=\(fps):d=\(seconds)",
                "-f", "lavfi", "-i",
                "aevalsrc='if(between(t,\(flash),\(flash + 0.1)),0.5*sin(2*PI*1000*t),0)':s=48000:d=\(audioSeconds ?? seconds)",
                "-vf", "drawbox=w=iw:h=ih:c=white:t=fill:enable='between(t,\(flash - frame / 4),\(flash + frame / 2))'",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "12", "-pix_fmt", "yuv420p",
                "-c:a", audioCodec, "-b:a", "64k",
            ] + extra + [path]
        let result = try runTool(arguments)
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }

    /// A picture whose hue turns a full circle every 4 s (so frames a second apart differ) with a red block
    /// in its top-left corner (so turning and stretching show), keyframes every
    /// `gop` frames, with a tone when `audio`.
    static func cornered(
        _ path: String, size: String = "320x180", seconds: Double = 2, filters: String? = nil,
        gop: Int = 12, audio: Bool = false
    ) throws {
        let draw = "hue=H=2*PI*t/4,drawbox=x=0:y=0:w=iw/4:h=ih/3:c=red:t=fill" + (filters.map { "," + $0 } ?? "")
        var arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=\(size):r=24:d=\(seconds)",
        ]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=d=\(seconds):sample_rate=48000", "-c:a", "aac"] }
        arguments += [
            "-vf", draw, "-c:v", "libx264", "-preset", "ultrafast", "-g", "\(gop)", "-pix_fmt", "yuv420p", path,
        ]
        let result = try runTool(arguments)
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }

    /// Runs ffmpeg with `arguments` (stream copies, metadata) and fails on an error.
    static func ffmpeg(_ arguments: [String]) throws {
        let result = try runTool(["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments)
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }
}

/// Measures, with ffmpeg and ffprobe only, what a player would show and play.
enum SyncMeter {
    /// Start times (s) of the flashes: frames whose mean luma rises above 128 after a dark frame.
    static func flashes(_ path: String) throws -> [Double] {
        let result = try runTool([
            "ffprobe", "-v", "error", "-f", "lavfi", "-i", "movie=\(path),signalstats",
            "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        var times: [Double] = []
        var wasBright = false
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: ",").compactMap { Double($0) }
            guard fields.count == 2 else { continue }
            let bright = fields[1] > 128
            if bright && !wasBright { times.append(fields[0]) }
            wasBright = bright
        }
        return times
    }

    /// Onset times (s) of the beeps in the first audio stream, decoded as a player plays it (samples one
    /// after another from the stream's start): the first sample above 0.05 after 0.2 s of quiet.
    static func beeps(_ path: String, scratch: String) throws -> [Double] {
        let pcm = scratch + ".f32"
        try MarkedClip.ffmpeg(["-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", pcm])
        defer { try? FileManager.default.removeItem(atPath: pcm) }
        let data = try Data(contentsOf: URL(fileURLWithPath: pcm))
        let start = try audioStart(path)
        var onsets: [Double] = []
        var lastLoud = -1_000_000
        data.withUnsafeBytes { raw in
            let samples = raw.bindMemory(to: Float.self)
            for (index, sample) in samples.enumerated() where abs(sample) > 0.05 {
                if index - lastLoud > 9600 { onsets.append(start + Double(index) / 48000) }
                lastLoud = index
            }
        }
        return onsets
    }

    /// The audio stream's start time as the demuxer gives it (0 when an edit list hides its priming).
    static func audioStart(_ path: String) throws -> Double {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=start_time", "-of", "csv=p=0",
            path,
        ])
        return Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Beep onset minus flash time for each marked clip, seconds (positive: the sound lags the picture).
    static func offsets(_ path: String, scratch: String) throws -> (
        flashes: [Double], beeps: [Double], offsets: [Double]
    ) {
        let flashes = try flashes(path)
        let beeps = try beeps(path, scratch: scratch)
        return (flashes, beeps, zip(flashes, beeps).map { $1 - $0 })
    }
}

/// The first (or `index`th) frame as a player shows it (ffmpeg turns it by its display matrix), as RGB.
struct ShownFrame: Equatable {
    var width: Int, height: Int
    var pixels: [UInt8]

    /// Decodes frame `index` of `path` as ffmpeg shows it; `displayAspect` also stretches it by its pixel
    /// aspect ratio (so pictures are compared as seen), then samples it on a `grid` x `grid` RGB raster.
    init(_ path: String, index: Int = 0, grid: Int = 8, scratch: String) throws {
        let probe = try runTool([
            "ffmpeg", "-nostdin", "-hide_banner", "-v", "info", "-i", path, "-vf",
            "select=eq(n\\,\(index)),scale=trunc(iw*sar/2)*2:ih,setsar=1,showinfo",
            "-frames:v", "1", "-f", "null", "-",
        ])
        guard let sizeMatch = probe.errors.range(of: #" s:(\d+)x(\d+)"#, options: .regularExpression) else {
            throw ToolFailure(message: "no frame \(index) in \(path): \(probe.errors)")
        }
        let parts = probe.errors[sizeMatch].dropFirst(3).split(separator: "x").compactMap { Int($0) }
        width = parts[0]
        height = parts[1]
        let raw = scratch + ".rgb"
        try MarkedClip.ffmpeg([
            "-i", path, "-vf", "select=eq(n\\,\(index)),scale=\(grid):\(grid):flags=area", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", raw,
        ])
        defer { try? FileManager.default.removeItem(atPath: raw) }
        pixels = Array(try Data(contentsOf: URL(fileURLWithPath: raw)))
    }

    /// Mean absolute difference per colour value against `other` (0 = identical, 255 = opposite).
    func difference(from other: ShownFrame) -> Double {
        guard pixels.count == other.pixels.count, !pixels.isEmpty else { return 255 }
        return Double(zip(pixels, other.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(pixels.count)
    }
}

/// What ffprobe says about the first video stream's shape: coded size, pixel aspect and rotation (ffprobe's
/// counter-clockwise degrees, 0 without a display matrix).
struct StreamShape: Equatable {
    var width: Int, height: Int, sampleAspect: String, rotation: Int

    init(_ path: String) throws {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
            "stream=width,height,sample_aspect_ratio:stream_side_data=rotation", "-of", "json", path,
        ])
        guard let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let stream = (json["streams"] as? [[String: Any]])?.first
        else { throw ToolFailure(message: result.errors) }
        width = stream["width"] as? Int ?? 0
        height = stream["height"] as? Int ?? 0
        sampleAspect = stream["sample_aspect_ratio"] as? String ?? "1:1"
        let sideData = stream["side_data_list"] as? [[String: Any]] ?? []
        rotation = sideData.compactMap { $0["rotation"] as? Int }.first ?? 0
    }

    init(width: Int, height: Int, sampleAspect: String, rotation: Int) {
        self.width = width
        self.height = height
        self.sampleAspect = sampleAspect
        self.rotation = rotation
    }
}
