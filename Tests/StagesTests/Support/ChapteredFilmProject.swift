import Foundation
import Manifest
import Stages
import Storage
import Synchronization
import TestSupport
import Testing

/// A project folder for film stage tests, with a 6 s film of three 2 s clips whose chapters name their frames
/// (`frame_01.png`...), as a merge makes it; with a tone when `audio`.
class ChapteredFilmProject {
    let root: String
    let stores = StoreCache(settings: S3Settings(), environment: [:])
    let copies = LocalCopies()
    /// The stage whose state folder the context names.
    let stageName: String

    init(prefix: String, stage: String, audio: Bool) throws {
        stageName = stage
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/scratch", withIntermediateDirectories: true)
        var metadata = ";FFMETADATA1\n"
        for index in 0..<3 {
            metadata +=
                "[CHAPTER]\nTIMEBASE=1/1000\nSTART=\(index * 2000)\nEND=\((index + 1) * 2000)\ntitle=frame_0\(index + 1).png\n"
        }
        try metadata.write(toFile: root + "/chapters.ffmeta", atomically: true, encoding: .utf8)
        let sound = audio ? ["-f", "lavfi", "-i", "sine=d=6"] : []
        let chapters = audio ? "2" : "1"
        try Self.ffmpeg(
            ["-f", "lavfi", "-i", "testsrc2=s=160x90:r=24:d=6"] + sound + [
                "-i", root + "/chapters.ffmeta", "-map", "0:v",
            ] + (audio ? ["-map", "1:a", "-c:a", "aac"] : []) + [
                "-map_chapters", chapters, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                root + "/film.mp4",
            ])
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static func ffmpeg(_ arguments: [String]) throws {
        let result = try run("/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
    }

    var context: StageContext {
        StageContext(
            stores: stores, scratch: URL(fileURLWithPath: root + "/scratch"),
            stateFolder: .local(path: root + "/state/\(stageName)/"), session: "s", copies: copies, environment: [:])
    }

    /// The film as the stage it needs recorded it.
    func film() throws -> Artifact {
        let path = root + "/film.mp4"
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        return Artifact(
            name: "film", location: .local(path: path), size: Int64(size),
            digest: .sha256(try SHA256Digest.hex(ofFile: path)), duration: 6)
    }
}

/// An `ItemRun` for local work that keeps the warnings.
final class WarningRun: ItemRun {
    let warnings = Mutex<[String]>([])
    var resumedTask: String? { nil }
    func mayPay(_ credits: Double) async -> PaymentVerdict { .pay }
    func paid(taskID: String, credits: Double) async throws {}
    func charged(taskID: String, estimated: Double, charged: Double) {}
    func status(_ status: ItemStatus) {}
    func providerFinished() {}
    func linkRefreshed() {}
    func warning(_ text: String) { warnings.withLock { $0.append(text) } }
}
