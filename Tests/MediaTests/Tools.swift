import Foundation

/// Runs a program and returns its exit status and output (test helper).
@discardableResult
func runTool(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a chatty tool cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
}

/// A picture's pixels as ffmpeg decodes them, in `format` (`gray`, `rgb24`), 8 bits each.
func decodedPixels(_ path: String, format: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", format, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
}

/// A temporary folder removed when the object goes away.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("media-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the files in the folder (to check nothing half-written is left).
    func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

/// Makes test clips with the ffmpeg program.
enum ClipMaker {
    /// An H.264 MP4 of `seconds` at `size` and `fps`, with a sine tone when `audio`.
    static func clip(
        _ path: String, size: String = "320x240", fps: Int = 24, seconds: Double = 1,
        audio: Bool = true, pattern: String = "testsrc2", sampleRate: Int = 48000,
        extra: [String] = []
    ) throws {
        var arguments = [
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "\(pattern)\(pattern.contains("=") ? ":" : "=")s=\(size):r=\(fps):d=\(seconds)",
        ]
        if audio {
            arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(sampleRate):duration=\(seconds)"]
        }
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "12"]
        if audio { arguments += ["-c:a", "aac", "-b:a", "96k"] }
        arguments += extra + [path]
        let result = try runTool(arguments)
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }

    /// A still image of `size` (extension picks the format).
    static func image(_ path: String, size: String, pattern: String = "testsrc2") throws {
        let result = try runTool([
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            pattern.contains("=") ? "\(pattern):s=\(size):d=1" : "\(pattern)=s=\(size):d=1",
            "-frames:v", "1", path,
        ])
        guard result.status == 0 else { throw ToolFailure(message: result.errors) }
    }
}

struct ToolFailure: Error { let message: String }

/// What ffprobe (the independent oracle) says about a file.
struct Oracle {
    struct Stream {
        var type: String
        var codec: String
        var width: Int?
        var height: Int?
        var frameRate: String?
        var frames: Int?
    }
    var duration: Double
    var streams: [Stream]
    var video: Stream? { streams.first { $0.type == "video" } }

    init(_ path: String) throws {
        let result = try runTool([
            "ffprobe", "-v", "error", "-count_packets", "-print_format", "json", "-show_format", "-show_streams", path,
        ])
        guard result.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let format = json["format"] as? [String: Any], let streams = json["streams"] as? [[String: Any]]
        else {
            throw ToolFailure(message: "ffprobe failed on \(path): \(result.errors)")
        }
        duration = Double(format["duration"] as? String ?? "") ?? -1
        self.streams = streams.map { s in
            Stream(
                type: s["codec_type"] as? String ?? "", codec: s["codec_name"] as? String ?? "",
                width: s["width"] as? Int, height: s["height"] as? Int, frameRate: s["avg_frame_rate"] as? String,
                frames: Int(s["nb_read_packets"] as? String ?? ""))
        }
    }

    /// What `ffmpeg -v error -i FILE -f null -` prints: empty for a clean file.
    static func decodeErrors(_ path: String) throws -> String {
        let result = try runTool(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
        return result.errors + (result.status == 0 ? "" : "exit \(result.status)")
    }

    /// True when the file's top-level `moov` box comes before `mdat` (faststart).
    static func moovFirst(_ path: String) throws -> Bool {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            if type == "moov" { return true }
            if type == "mdat" { return false }
            guard size >= 8 else { return false }
            offset += size
        }
        return false
    }
}
