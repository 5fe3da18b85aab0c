import Foundation

/// Films with captions made and read with the ffmpeg and ffprobe programs, the independent oracles.
enum CaptionOracle {
    /// A film of `seconds` at `size` and 24 fps with a tone, in MP4 (H.264 + AAC) or WebM (VP9 + Opus); with
    /// `chapters` (title, start and end in seconds) written as a merge writes its clips' spans.
    static func film(
        _ path: String, seconds: Double = 3, size: String = "320x240", webm: Bool = false,
        chapters: [(String, Double, Double)] = []
    ) throws {
        var arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=\(size):r=24:d=\(seconds)",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)",
        ]
        if !chapters.isEmpty {
            var meta = ";FFMETADATA1\n"
            for (title, start, end) in chapters {
                meta +=
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=\(Int(start * 1000))\nEND=\(Int(end * 1000))\ntitle=\(title)\n"
            }
            let metaPath = path + ".ffmeta"
            try meta.write(toFile: metaPath, atomically: true, encoding: .utf8)
            arguments += ["-i", metaPath, "-map", "0", "-map", "1", "-map_metadata", "2", "-map_chapters", "2"]
        }
        if webm {
            arguments += [
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-c:a", "libopus",
            ]
        } else {
            arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]
        }
        let result = try runTool(arguments + [path])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }

    /// One subtitle packet as the file holds it.
    struct SubtitlePacket: Equatable {
        var start: Double
        var duration: Double
        var payload: [UInt8]

        /// A mov_text sample's text (after its 16-bit length), or a WebVTT payload as is.
        var text: String {
            let length = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 0
            if length + 2 <= payload.count, payload.count >= 2, length == payload.count - 2 {
                return String(decoding: payload[2...], as: UTF8.self)
            }
            return String(decoding: payload, as: UTF8.self)
        }
    }

    /// The packets of subtitle stream `stream` (the first by default): times and sizes from ffprobe, bytes from
    /// ffmpeg's `data` muxer.
    static func subtitlePackets(_ path: String, stream: Int = 0) throws -> [SubtitlePacket] {
        let probe = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "s:\(stream)", "-show_entries",
            "packet=pts_time,duration_time,size",
            "-of", "json", path,
        ])
        guard probe.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(probe.output.utf8)) as? [String: Any],
            let packets = json["packets"] as? [[String: Any]]
        else { throw ToolFailure(message: "ffprobe failed on \(path): \(probe.errors)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:s:\(stream)", "-c", "copy", "-f", "data", "-",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let bytes = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        var offset = 0
        var result: [SubtitlePacket] = []
        for packet in packets {
            let size = Int(packet["size"] as? String ?? "") ?? 0
            guard offset + size <= bytes.count else { throw ToolFailure(message: "fewer subtitle bytes than packets") }
            result.append(
                SubtitlePacket(
                    start: Double(packet["pts_time"] as? String ?? "") ?? -1,
                    duration: Double(packet["duration_time"] as? String ?? "") ?? -1,
                    payload: Array(bytes[offset..<(offset + size)])))
            offset += size
        }
        return result
    }

    /// The MD5 of each packet of the first `kind` stream (`v`, `a`), as ffmpeg copies them (`framemd5`).
    static func packetDigests(_ path: String, _ kind: String) throws -> [String] {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:\(kind):0", "-c", "copy", "-f", "framemd5", "-",
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(separator: ",").last.map { String($0).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// A stream's fields as ffprobe shows them (`codec_name`, `TAG:language`, ...), for the first `kind` stream.
    static func streamFields(_ path: String, _ kind: String) throws -> [String: String] {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "\(kind):0", "-show_streams", "-of", "flat=s=_:h=0", path,
        ])
        var fields: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].split(separator: "_", maxSplits: 2).dropFirst(2).first.map(String.init) ?? ""
            fields[key] = String(line[line.index(after: equals)...]).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
        }
        return fields
    }

    /// The chapters ffprobe reads: title, start and end in seconds.
    static func chapters(_ path: String) throws -> [(String, Double, Double)] {
        let result = try runTool(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", path])
        guard let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let chapters = json["chapters"] as? [[String: Any]]
        else { throw ToolFailure(message: result.errors) }
        return chapters.map {
            (
                ($0["tags"] as? [String: Any])?["title"] as? String ?? "",
                Double($0["start_time"] as? String ?? "") ?? -1, Double($0["end_time"] as? String ?? "") ?? -1
            )
        }
    }

    /// Every frame's luma as ffmpeg decodes it, `width * height` bytes each.
    static func lumaFrames(_ path: String, width: Int, height: Int) throws -> [[UInt8]] {
        let pixels = try decodedPixels(path, format: "gray")
        let size = width * height
        return stride(from: 0, to: pixels.count - size + 1, by: size).map { Array(pixels[$0..<($0 + size)]) }
    }

    /// The PSNR (dB) of rows `rows` of two luma frames `width` wide; infinity when they are equal.
    static func psnr(_ a: [UInt8], _ b: [UInt8], width: Int, rows: Range<Int>) -> Double {
        var squares = 0.0
        var count = 0.0
        for row in rows {
            for column in 0..<width {
                let difference = Double(a[row * width + column]) - Double(b[row * width + column])
                squares += difference * difference
                count += 1
            }
        }
        guard squares > 0 else { return .infinity }
        return 10 * log10(255 * 255 / (squares / count))
    }
}
