import Foundation
import TestSupport
import Testing

/// What ffprobe (the independent oracle) says about a video.
struct ProbedVideo {
    let duration: Double
    let width: Int
    let height: Int

    static func of(_ path: String) throws -> ProbedVideo {
        let result = try run(
            try Scratch.which("ffprobe"),
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:format=duration",
                "-of", "default=noprint_wrappers=1", path,
            ])
        guard result.status == 0 else { throw TestSetupError(description: "ffprobe refused \(path): \(result.stderr)") }
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return ProbedVideo(
            duration: Double(values["duration"] ?? "") ?? -1, width: Int(values["width"] ?? "") ?? -1,
            height: Int(values["height"] ?? "") ?? -1)
    }

    /// Whether ffmpeg decodes every frame without an error.
    static func decodesCleanly(_ path: String) throws -> Bool {
        let result = try run(try Scratch.which("ffmpeg"), ["-v", "error", "-i", path, "-f", "null", "-"])
        return result.status == 0 && result.stderr.isEmpty
    }
}

/// The JSON document printed by `runner plan --format json`.
struct PlanDocument: Decodable {
    struct Item: Decodable {
        let item: String
        let action: String
        let reason: String?
        let taskID: String?
        let credits: Double
    }

    struct Stage: Decodable {
        let name: String
        let items: [Item]
    }

    let stages: [Stage]
    let credits: Double

    static func parse(_ text: String) throws -> PlanDocument {
        try JSONDecoder().decode(PlanDocument.self, from: Data(text.utf8))
    }

    func items(of stage: String) -> [Item] { stages.first { $0.name == stage }?.items ?? [] }

    func actions(of stage: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: items(of: stage).map { ($0.item, $0.action) })
    }
}
