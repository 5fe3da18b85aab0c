import Foundation

/// What the ffmpeg program (the independent oracle) measures of a file's sound.
enum SoundOracle {
    /// Integrated loudness (LUFS) and true peak (dBTP) as `ffmpeg -af ebur128=peak=true` reports them.
    static func loudness(_ path: String) throws -> (integrated: Double, truePeak: Double) {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path, "-map", "0:a:0", "-af",
            "ebur128=peak=true", "-f", "null", "-",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        // The summary comes last: "I:         -14.0 LUFS" ... "True peak:" / "Peak:      -1.3 dBFS".
        let summary = result.errors.components(separatedBy: "Summary:").last ?? ""
        func value(after label: String, in text: String) -> Double? {
            guard let range = text.range(of: label) else { return nil }
            let rest = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            return Double(rest.prefix { "-+.0123456789".contains($0) })
        }
        let peakPart = summary.components(separatedBy: "True peak:").last ?? ""
        guard let integrated = value(after: "I:", in: summary), let peak = value(after: "Peak:", in: peakPart) else {
            throw ToolFailure(message: "no ebur128 summary in: \(result.errors.suffix(600))")
        }
        return (integrated, peak)
    }

    /// The first audio stream decoded by ffmpeg to mono (both channels averaged) 48 kHz Float samples.
    static func samples(_ path: String) throws -> [Float] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le",
            "-",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The level (dB, relative to full scale) of the `frequency` component of `samples[range]` (Goertzel).
    static func level(of frequency: Double, in samples: [Float], seconds: ClosedRange<Double>) -> Double {
        let start = Int(seconds.lowerBound * 48_000)
        let end = min(samples.count, Int(seconds.upperBound * 48_000))
        guard end > start else { return -200 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / 48_000)
        var (s1, s2) = (0.0, 0.0)
        for index in start..<end {
            let s0 = Double(samples[index]) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        let amplitude = 2 * power.squareRoot() / Double(end - start)
        return 20 * log10(max(amplitude, 1e-10))
    }

    /// The time (seconds) of the first sample at or after `from` whose magnitude reaches `threshold`.
    static func onset(in samples: [Float], from: Double = 0, threshold: Float) -> Double? {
        let start = Int(from * 48_000)
        guard start < samples.count else { return nil }
        return (start..<samples.count).first { abs(samples[$0]) >= threshold }.map { Double($0) / 48_000 }
    }

    /// The MD5 of every packet of the file's video stream, in order (`-c copy -f framemd5`): equal lists mean the
    /// picture was copied bit for bit.
    static func videoPacketHashes(_ path: String) throws -> [String] {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy", "-f", "framemd5", "-",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The chapters' titles and starts, as ffprobe reads them.
    static func chapters(_ path: String) throws -> [(title: String, start: Double)] {
        let result = try runTool(["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", path])
        guard result.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let chapters = json["chapters"] as? [[String: Any]]
        else { throw ToolFailure(message: result.errors) }
        return chapters.map {
            (
                (($0["tags"] as? [String: Any])?["title"] as? String) ?? "",
                Double($0["start_time"] as? String ?? "") ?? -1
            )
        }
    }

    /// The first audio stream's codec, sample rate, channels and duration, as ffprobe reads them.
    static func audioStream(_ path: String) throws -> (codec: String, rate: Int, channels: Int, duration: Double)? {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "a:0", "-print_format", "json", "-show_streams", path,
        ])
        guard result.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let streams = json["streams"] as? [[String: Any]]
        else { throw ToolFailure(message: result.errors) }
        guard let stream = streams.first else { return nil }
        return (
            stream["codec_name"] as? String ?? "", Int(stream["sample_rate"] as? String ?? "") ?? 0,
            stream["channels"] as? Int ?? 0, Double(stream["duration"] as? String ?? "") ?? -1
        )
    }
}

/// Films and sounds made with the ffmpeg program, as people have them.
enum SoundMaker {
    /// An H.264 film of `seconds` with one chapter per clip (`frame_01.png`...) of `clip` seconds, and a 440 Hz tone
    /// as its clips' sound when `clipAudio`; in MP4, or WebM (VP9, Opus) when `path` ends so.
    static func film(_ path: String, seconds: Double, clip: Double, clipAudio: Bool, in folder: TemporaryFolder) throws
    {
        var metadata = ";FFMETADATA1\n"
        var start = 0.0
        var index = 1
        while start < seconds - 0.001 {
            let end = min(seconds, start + clip)
            metadata += "[CHAPTER]\nTIMEBASE=1/1000\nSTART=\(Int(start * 1000))\nEND=\(Int(end * 1000))\n"
            metadata += "title=frame_\(String(format: "%02d", index)).png\n"
            start = end
            index += 1
        }
        let chapters = folder.file("chapters-\(UUID().uuidString).ffmeta")
        try metadata.write(toFile: chapters, atomically: true, encoding: .utf8)
        let webm = path.hasSuffix(".webm")
        var arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=24:d=\(seconds)",
        ]
        if clipAudio {
            arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)"]
        }
        arguments += ["-i", chapters, "-map", "0:v"]
        if clipAudio { arguments += ["-map", "1:a", "-af", "volume=-12dB"] }
        arguments += ["-map_metadata", clipAudio ? "2" : "1", "-map_chapters", clipAudio ? "2" : "1"]
        arguments +=
            webm
            ? ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "12"]
        if clipAudio { arguments += webm ? ["-c:a", "libopus"] : ["-c:a", "aac", "-b:a", "96k"] }
        arguments.append(path)
        let result = try runTool(arguments)
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }

    /// A sine tone of `frequency` Hz for `seconds` at `level` dBFS; the extension picks the container, `extra` the
    /// codec and layout (`-ac 1 -ar 44100`).
    static func tone(
        _ path: String, frequency: Double, seconds: Double, level: Double = -20, extra: [String] = []
    ) throws {
        let result = try runTool(
            [
                "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=\(frequency):sample_rate=48000:duration=\(seconds)",
                // The generator's amplitude is 1/8 (-18 dBFS).
                "-af", "volume=\(level + 18)dB",
            ] + extra + [path])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }
}
