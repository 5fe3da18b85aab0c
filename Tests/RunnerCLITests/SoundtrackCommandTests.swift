import Foundation
import TestSupport
import Testing

/// `runner soundtrack` end to end, with ffmpeg's ebur128 and ffprobe as the independent checks.
@Suite struct SoundtrackCommandTests {
    static func ffmpeg(_ arguments: [String]) throws {
        let made = try run("/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments)
        #expect(made.status == 0, "\(made.stderr)")
    }

    @Test func aFilmGetsMusicAndAVoiceAtTheAskedLoudness() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        try Self.ffmpeg([
            "-f", "lavfi", "-i", "testsrc2=s=160x90:r=24:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
            "yuv420p", path("film.mp4"),
        ])
        try Self.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:duration=10", path("bed.mp3")])
        try Self.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=300:duration=1", "-ac", "1", path("line.wav")])
        let made = try run(
            PackagePaths.runner,
            [
                "soundtrack", path("film.mp4"), "-o", path("out.mp4"), "--music", path("bed.mp3"), "--level=-6",
                "--voice", "1.5:" + path("line.wav"), "--duck", "12", "--loudness=-20",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("LUFS"), "\(made.stdout)")
        let measured = try run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path("out.mp4"), "-af", "ebur128", "-f", "null",
                "-",
            ])
        let summary = measured.stderr.components(separatedBy: "Summary:").last ?? ""
        let integrated = summary.components(separatedBy: "I:").dropFirst().first.flatMap {
            Double($0.trimmingCharacters(in: .whitespaces).prefix { "-.0123456789".contains($0) })
        }
        #expect(integrated.map { abs($0 + 20) <= 1 } == true, "\(summary)")
    }

    @Test func aVoiceWithoutATimeIsAUsageError() throws {
        let made = try run(PackagePaths.runner, ["soundtrack", "film.mp4", "-o", "out.mp4", "--voice", "line.wav"])
        #expect(made.status == 2)
        #expect(made.stderr.contains("is not SECONDS:FILE"), "\(made.stderr)")
    }
}
