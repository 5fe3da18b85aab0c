import Foundation

/// How two clips meet, measured with the ffmpeg program (an independent decoder): their boundary pictures as PNG,
/// and the PSNR between two pictures from ffmpeg's `psnr` filter.
public enum JoinOracle {
    /// The PSNR in dB of the last picture of `earlier` against the first of `later` (infinity when identical).
    public static func psnr(lastOf earlier: String, firstOf later: String) throws -> Double {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let last = folder.appendingPathComponent("last.png").path
        let first = folder.appendingPathComponent("first.png").path
        try picture(of: earlier, at: .last, to: last)
        try picture(of: later, at: .first, to: first)
        return try psnr(last, first)
    }

    /// Which picture of a clip.
    public enum End: Sendable { case first, last }

    /// Writes the first or last decoded picture of `clip` to `png`.
    public static func picture(of clip: String, at end: End, to png: String) throws {
        // `-update 1` keeps overwriting one file, so what stays is the last picture decoded.
        let select = end == .first ? ["-frames:v", "1"] : ["-update", "1"]
        let output = try run(
            "/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clip] + select + [png])
        guard output.status == 0, FileManager.default.fileExists(atPath: png) else {
            throw TestSetupError(description: "ffmpeg could not take the \(end) picture of \(clip): \(output.stderr)")
        }
    }

    /// The PSNR in dB between two pictures of one size, as ffmpeg's `psnr` filter reports it (`average:`).
    public static func psnr(_ one: String, _ other: String) throws -> Double {
        let output = try run(
            "/usr/bin/env",
            ["ffmpeg", "-nostdin", "-v", "info", "-i", one, "-i", other, "-lavfi", "psnr", "-f", "null", "-"])
        guard output.status == 0, let range = output.stderr.range(of: "average:") else {
            throw TestSetupError(description: "ffmpeg's psnr filter failed: \(output.stderr)")
        }
        let value = output.stderr[range.upperBound...].prefix { !$0.isWhitespace }
        if value == "inf" { return .infinity }
        guard let decibels = Double(value) else {
            throw TestSetupError(description: "ffmpeg's psnr said \(value)")
        }
        return decibels
    }
}
