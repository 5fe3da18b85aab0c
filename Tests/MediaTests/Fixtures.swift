import Foundation
import Media

/// Small clips shared by the tests, made with ffmpeg once per machine and kept in one cache folder in the
/// system temporary directory (a static object is never deinitialised, so a per-run folder would pile up).
final class Fixtures: Sendable {
    static let shared = Fixtures()

    /// Bump when the clips below change, so an old cache is not reused.
    private static let version = "v1"

    let directory: String
    /// 320x240, 24 fps, 1 s, with AAC audio; different content each.
    let withAudio: [String]
    /// 320x240, 24 fps, 1 s, no audio.
    let silent: [String]
    /// 480x360, 24 fps, 1 s, with audio (differs in size from `withAudio`).
    let larger: String
    /// Mixed sizes and rates for re-encoding: 240x320@30, 240x240@30 (audio), 320x240@24 (no audio).
    let mixed: [String]
    /// A text file named .mp4.
    let textFile: String
    /// A faststart (moov first) clip cut to half its bytes.
    let halfFaststart: String
    /// `withAudio[0]` (moov last) cut to half its bytes.
    let half: String

    func file(_ name: String) -> String { directory + "/" + name }

    private init() {
        MediaLibraries.silenceLibraryLogs()  // keep x264's statistics out of the test log
        let fileManager = FileManager.default
        let directory = fileManager.temporaryDirectory.appendingPathComponent("runner-media-test-clips-\(Self.version)")
            .path
        self.directory = directory
        let names = (
            withAudio: ["a1.mp4", "a2.mp4", "a3.mp4"], silent: ["s1.mp4", "s2.mp4"],
            mixed: ["m1.mp4", "m2.mp4", "m3.mp4"]
        )
        withAudio = names.withAudio.map { directory + "/" + $0 }
        silent = names.silent.map { directory + "/" + $0 }
        mixed = names.mixed.map { directory + "/" + $0 }
        larger = directory + "/large.mp4"
        textFile = directory + "/notes.mp4"
        half = directory + "/half.mp4"
        halfFaststart = directory + "/half-faststart.mp4"
        guard !fileManager.fileExists(atPath: directory + "/complete") else { return }
        do {
            // Build in a private folder, then rename it into place: concurrent test runs never see half a cache.
            let staging = directory + ".staging-\(UUID().uuidString)"
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: true)
            func at(_ name: String) -> String { staging + "/" + name }
            for (index, name) in names.withAudio.enumerated() {
                try ClipMaker.clip(at(name), pattern: ["testsrc2", "smptebars", "rgbtestsrc"][index])
            }
            for name in names.silent { try ClipMaker.clip(at(name), audio: false) }
            try ClipMaker.clip(at("large.mp4"), size: "480x360")
            try ClipMaker.clip(at(names.mixed[0]), size: "240x320", fps: 30, audio: false)
            try ClipMaker.clip(at(names.mixed[1]), size: "240x240", fps: 30, audio: true, sampleRate: 44100)
            try ClipMaker.clip(at(names.mixed[2]), size: "320x240", fps: 24, audio: false)
            try Data("these are not video frames\n".utf8).write(to: URL(fileURLWithPath: at("notes.mp4")))
            let whole = try Data(contentsOf: URL(fileURLWithPath: at(names.withAudio[0])))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: at("half.mp4")))
            try ClipMaker.clip(at("faststart.mp4"), extra: ["-movflags", "+faststart"])
            let fast = try Data(contentsOf: URL(fileURLWithPath: at("faststart.mp4")))
            try fast.prefix(fast.count / 2).write(to: URL(fileURLWithPath: at("half-faststart.mp4")))
            try Data().write(to: URL(fileURLWithPath: at("complete")))
            if rename(staging, directory) != 0 {  // another run finished first: use its copy
                try? fileManager.removeItem(atPath: staging)
            }
        } catch {
            fatalError("could not make test clips with ffmpeg: \(error)")
        }
    }
}
