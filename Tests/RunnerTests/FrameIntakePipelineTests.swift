import Foundation
import Storage
import TestSupport
import Testing

/// Issue #14 end to end: the reproductions, through the runner binary, checked by listing contents, pixels ffmpeg
/// samples from the clips, and the tasks the Runway double recorded.
@Suite(.serialized)
struct FrameIntakePipelineTests {
    typealias RGB = TestStills.RGB

    static func localManifest(include: String = "") -> String {
        """
        version: 1
        name: intake
        providers:
          draft: { type: kenburns, concurrency: 2 }
        stages:
          frames: { type: frames, from: ./frames/\(include) }
          clips:  { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, seed: 3, to: ./out/clips/ }
          film:   { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4 }
        """
    }

    /// Reproduction 3: frames from a Mac zip, with their AppleDouble files, a __MACOSX/ copy and .DS_Store.
    @Test func aMacFolderListsItsFramesNamesTheRestAndMakesTheFilm() throws {
        let project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        for index in 1...3 {
            try TestStills.banded(project.path("frames/frame_0\(index).jpg"), width: 320, height: 180, band: 20 * index)
            let sidecar = Data("\u{0}\u{5}\u{16}\u{7}Mac OS X        ".utf8)
            try sidecar.write(to: URL(fileURLWithPath: project.path("frames/._frame_0\(index).jpg")))
            try FileManager.default.createDirectory(
                atPath: project.path("frames/__MACOSX"), withIntermediateDirectories: true)
            try sidecar.write(to: URL(fileURLWithPath: project.path("frames/__MACOSX/._frame_0\(index).jpg")))
        }
        try Data([0, 0, 0, 1]).write(to: URL(fileURLWithPath: project.path("frames/.DS_Store")))
        try project.write(manifest: Self.localManifest())

        let listed = try project.runner("frames", "./frames/")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.split(separator: "\n").count == 3)
        let skippedLines = listed.stderr.split(separator: "\n").filter { $0.hasPrefix("skipped ") }
        #expect(skippedLines.count == 7, "\(listed.stderr)")
        #expect(skippedLines.contains { $0.contains("/._frame_01.jpg: an AppleDouble file") })
        #expect(skippedLines.contains { $0.contains("__MACOSX/._frame_02.jpg: inside __MACOSX/") })
        #expect(skippedLines.contains { $0.contains(".DS_Store: a macOS folder settings file") })

        let json = try project.runner("frames", "./frames/", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["frames"] as? [Any])?.count == 3)
        #expect((document["skipped"] as? [[String: Any]])?.compactMap { $0["reason"] as? String }.count == 7)

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("- ._frame_01.jpg"), "\(plan.stdout)")
        #expect(plan.stdout.contains("7 other files skipped"))
        let planJSON = try PlanDocument.parse(try project.runner("plan", project.manifest, "--format", "json").stdout)
        #expect(planJSON.items(of: "frames").filter { $0.action == "skipped" }.count == 7)
        #expect(planJSON.items(of: "clips").count == 3)

        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 3) < 0.1)
        #expect(applied.stdout.contains("clips generated  3"), "\(applied.stdout)")
        #expect(!applied.stdout.contains("! "), "\(applied.stdout)")
    }

    /// A frame whose name the pipeline refuses (a backslash: a separator elsewhere) is not offered by `runner frames`
    /// as a frame: it is listed as skipped with the reason the plan gives it.
    @Test func runnerFramesSkipsANameThePipelineRefusesWithThePlansReason() throws {
        let project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        try FileManager.default.copyItem(
            atPath: project.path("frames/frame_02.png"), toPath: project.path("frames/frame_03\\evil.png"))
        try project.write(manifest: Self.localManifest())
        let reason = "refused: its name holds a backslash, which could lead a path out of its folder; rename it"

        let listed = try project.runner("frames", "./frames/")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.split(separator: "\n").count == 2, "\(listed.stdout)")
        #expect(!listed.stdout.contains("evil"), "\(listed.stdout)")
        #expect(
            listed.stderr.split(separator: "\n").contains {
                $0.hasPrefix("skipped ") && $0.hasSuffix("evil.png: \(reason)")
            },
            "\(listed.stderr)")
        let json = try project.runner("frames", "./frames/", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["frames"] as? [Any])?.count == 2)
        #expect((document["skipped"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } == [reason])

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains(reason), "\(plan.stdout)")
    }

    /// `validate` warns about an include pattern that can never match an image type, and not about one that can.
    @Test func validateWarnsAboutAnIncludeThatMatchesNoImageType() throws {
        let project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        try project.write(
            manifest: Self.localManifest(include: ", include: [\"*.gif\", \"shot_*\", \"*.HEIC\", \"*.[jp]*\"]"))
        let validated = try project.runner("validate", project.manifest)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let output = validated.stdout + validated.stderr
        #expect(output.contains("warning") && output.contains("\"*.gif\" can never match an image"), "\(output)")
        #expect(
            !output.contains("\"shot_*\" can never") && !output.contains("\"*.HEIC\" can never")
                && !output.contains("\"*.[jp]*\" can never"))
    }

    /// Reproduction 4: phone HEIC photos between JPEGs are in the film, with the default include and with one naming them.
    @Test(arguments: ["", ", include: [\"*.heic\", \"*.jpg\"]"])
    func heicPhotosAreInTheFilm(include: String) throws {
        let project = try PipelineProject.make(frames: 0)
        defer { project.remove() }
        for index in 1...4 {
            let name = String(format: "IMG_%04d", index)
            if index % 2 == 0 {
                let source = project.path("frames-src-\(index).png")
                try TestStills.banded(source, width: 320, height: 180, band: 30 + index)
                try TestStills.heif(from: source, to: project.path("frames/\(name).HEIC"))
                try FileManager.default.removeItem(atPath: source)
            } else {
                try TestStills.banded(project.path("frames/\(name).JPG"), width: 320, height: 180, band: 30 + index)
            }
        }
        try project.write(manifest: Self.localManifest(include: include))
        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(abs(try ProbedVideo.of(project.path("out/film.mp4")).duration - 4) < 0.1)
        // The HEIC shot shows its band on top, red, as a viewer shows it.
        let heicClip = try #require(
            FileManager.default.contentsOfDirectory(atPath: project.path("out/clips")).first {
                $0.hasPrefix("IMG_0002")
            })
        #expect(try TestStills.pixel(project.path("out/clips/\(heicClip)"), x: 80, y: 2).near(.red))
        #expect(try TestStills.pixel(project.path("out/clips/\(heicClip)"), x: 80, y: 85).near(.blue))
    }

    /// Reproduction 5: an empty frame is marked in the plan and refused by apply before any paid submission; under
    /// `onFailure: skip` it is left out and the rest is made.
    @Test func anEmptyFrameIsRefusedBeforeAnythingIsPaid() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        FileManager.default.createFile(atPath: project.path("frames/frame_03.png"), contents: Data())
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.stdout.contains("! frame_03.png"), "\(plan.stdout)")
        #expect(plan.stdout.contains("empty"))
        #expect(!plan.stdout.contains("+ frame_03.png"))
        #expect(plan.stdout.contains("50 credits"), "\(plan.stdout)")

        let refused = try project.runner("apply", project.manifest)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("nothing was submitted") && refused.stderr.contains("frame_03.png"),
            "\(refused.stderr)")
        #expect(!(refused.stdout + refused.stderr).contains("Runway refused"))
        #expect(try await cloud.tasksCreated() == 0)

        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, onFailure: "skip"))
        let skipped = try project.runner("apply", project.manifest)
        #expect(skipped.status == 0, "\(skipped.stdout)\(skipped.stderr)")
        #expect(try await cloud.tasksCreated() == 2)
        #expect(!(skipped.stdout + skipped.stderr).contains("Runway refused"))
    }

    /// Reproduction 6 and 1 through Runway: frames stored without a content type (binary/octet-stream), one a phone
    /// photo turned by EXIF, reach Runway as typed, upright images; the prepared image is kept and reused.
    @Test func framesWithoutAnImageTypeAndTurnedPhotosReachRunwayUpright() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        try TestStills.banded(
            project.path("frames/frame_02.jpg"), width: 800, height: 600, band: 120, edge: "left", exifOrientation: 6)
        // The double renders each clip from the image it was given (not its shared test pattern), as Runway would.
        let cloud = try await Cloud.make(for: &project, runway: ["precomputedClips": false])
        for name in ["frame_01.png", "frame_02.jpg"] {
            try await cloud.store.put(
                "frames/\(name)", from: URL(fileURLWithPath: project.path("frames/\(name)")), contentType: nil)
        }
        let manifest = Manifests.runway(bucket: cloud.bucket).replacingOccurrences(
            of: "ratio: \"1280:720\"", with: "ratio: \"720:1280\"")
        try project.write(manifest: manifest)
        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(try await cloud.tasksCreated() == 2)

        let objects = try await cloud.objects()
        let clipKey = try #require(objects.keys.first { $0.hasPrefix("clips/frame_02") && $0.hasSuffix(".mp4") })
        let clip = project.folder.appendingPathComponent("clip.mp4")
        try await cloud.download(clipKey, to: clip)
        let top = try TestStills.pixel(clip.path, x: 360, y: 20)
        let bottom = try TestStills.pixel(clip.path, x: 360, y: 1260)
        let left = try TestStills.pixel(clip.path, x: 10, y: 640)
        #expect(
            top.near(.red) && bottom.near(.blue) && left.near(.blue),
            "top \(top), bottom \(bottom), left \(left) of \(clipKey)")

        // One prepared image per frame, kept beside the clips; a clip made again (a new prompt) reuses it.
        let prepared = objects.filter { $0.key.hasPrefix("clips.prepared/") }
        #expect(prepared.count == 2)
        // The image Runway was given: the phone photo upright (600x800), its band on top.
        var uprightFound = false
        for key in prepared.keys {
            let image = project.folder.appendingPathComponent("prepared.jpg")
            try await cloud.download(key, to: image)
            let size = try TestStills.size(image.path)
            if size == (600, 800) {
                uprightFound = true
                #expect(try TestStills.pixel(image.path, x: 300, y: 20).near(.red))
            }
        }
        #expect(uprightFound, "no prepared image is the upright photo")
        try await Task.sleep(for: .milliseconds(1100))
        try project.write(manifest: manifest.replacingOccurrences(of: "Smooth cinematic motion", with: "A slow drift"))
        let again = try project.runner("apply", project.manifest)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try await cloud.tasksCreated() == 4)
        let after = try await cloud.objects().filter { $0.key.hasPrefix("clips.prepared/") }
        #expect(after.mapValues(\.lastModified) == prepared.mapValues(\.lastModified))
    }

    /// The plan line of `name` (its symbol, name and reason), or "" when the plan has none.
    static func line(of name: String, in plan: String) -> String {
        plan.split(separator: "\n").first { $0.contains(" \(name) ") || $0.hasSuffix(" \(name)") }.map(String.init)
            ?? ""
    }

    /// Broken S3 frames are read from their first and last bytes, as local ones are: `plan` marks each with `!` and
    /// its reason, `apply` refuses before any paid submission, and under `onFailure: skip` makes only the good ones.
    @Test func brokenS3FramesAreMarkedInThePlanAndRefusedBeforeAnythingIsPaid() async throws {
        var project = try PipelineProject.make(frames: 1)
        defer { project.remove() }
        let frames = project.path("frames")
        try TestStills.banded(
            frames + "/frame_02.jpg", width: 800, height: 600, band: 120, edge: "left", exifOrientation: 6)
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: frames + "/frame_02.jpg"))
        try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: frames + "/frame_03.jpg"))
        var noise = SeededGenerator(seed: 14)
        try Data((0..<5_000).map { _ in UInt8.random(in: 0...255, using: &noise) }).write(
            to: URL(fileURLWithPath: frames + "/frame_04.png"))
        try TestStills.claimingSize(frames + "/frame_05.png", width: 100_000, height: 100_000)
        FileManager.default.createFile(atPath: frames + "/frame_06.png", contents: Data())
        try TestStills.heif(from: frames + "/frame_01.png", to: frames + "/frame_07.heic")
        let heic = try Data(contentsOf: URL(fileURLWithPath: frames + "/frame_07.heic"))
        try heic.prefix(heic.count / 2).write(to: URL(fileURLWithPath: frames + "/frame_08.heic"))
        let cloud = try await Cloud.make(for: &project)
        // The frames are read from the bucket only: the local copies are gone.
        try FileManager.default.removeItem(atPath: frames)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket))

        let plan = try project.runner("plan", project.manifest)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        for good in ["frame_01.png", "frame_02.jpg", "frame_07.heic"] {
            #expect(Self.line(of: good, in: plan.stdout).contains("+ \(good)"), "\(good): \(plan.stdout)")
        }
        let bad = [
            "frame_03.jpg": "truncated", "frame_04.png": "undecodable", "frame_05.png": "too large: 100000x100000",
            "frame_06.png": "empty", "frame_08.heic": "truncated",
        ]
        for (name, reason) in bad {
            let line = Self.line(of: name, in: plan.stdout)
            #expect(
                line.contains("! \(name)") && line.contains(reason), "\(name) should be refused as \(reason): \(line)")
        }
        #expect(plan.stdout.contains("75 credits"), "\(plan.stdout)")

        let refused = try project.runner("apply", project.manifest)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("nothing was submitted"), "\(refused.stderr)")
        for name in bad.keys { #expect(refused.stderr.contains(name), "\(name): \(refused.stderr)") }
        #expect(try await cloud.tasksCreated() == 0)

        try project.write(manifest: Manifests.runway(bucket: cloud.bucket, onFailure: "skip"))
        let skipped = try project.runner("apply", project.manifest)
        #expect(skipped.status == 0, "\(skipped.stdout)\(skipped.stderr)")
        #expect(try await cloud.tasksCreated() == 3)
        let clips = try await cloud.objects().keys.filter { $0.hasPrefix("clips/") && $0.hasSuffix(".mp4") }
        #expect(
            Set(clips.map { String($0.dropFirst("clips/".count).prefix(8)) }) == ["frame_01", "frame_02", "frame_07"],
            "\(clips)")
    }

    /// Apply keeps the S3 frames it found good by content (their ETag digests), never by name: a frame replaced by
    /// broken bytes under the same key is read again, and a damaged check file is read as empty, not trusted.
    @Test func s3FramesFoundGoodAreKeptByContentAndCheckedAgainWhenReplaced() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Manifests.runway(bucket: cloud.bucket))
        let applied = try project.runner("apply", project.manifest)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let checks = project.path(".runner/frame-checks.json")
        let kept =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checks))) as? [String: Any]
        let digests = (kept?["good"] as? [String]) ?? []
        let etags = try await cloud.objects().filter { $0.key.hasPrefix("frames/") }.values.compactMap(\.etag)
        #expect(
            digests.count == 2
                && etags.allSatisfy { etag in digests.contains { $0.contains(etag.trimmingCharacters(in: ["\""])) } },
            "\(digests) against \(etags)")

        let png = try Data(contentsOf: URL(fileURLWithPath: project.path("frames/frame_02.png")))
        let cut = project.folder.appendingPathComponent("cut.png")
        try png.prefix(png.count - 20).write(to: cut)
        try await cloud.store.put("frames/frame_02.png", from: cut, contentType: "image/png")
        let plan = try project.runner("plan", project.manifest)
        #expect(Self.line(of: "frame_02.png", in: plan.stdout).contains("truncated"), "\(plan.stdout)")

        try Data("{\"version\": \"frame-check-v1\", \"good\": [1, 2".utf8).write(to: URL(fileURLWithPath: checks))
        let again = try project.runner("plan", project.manifest)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(Self.line(of: "frame_02.png", in: again.stdout).contains("truncated"), "\(again.stdout)")
        #expect(Self.line(of: "frame_01.png", in: again.stdout).contains("cached"), "\(again.stdout)")
    }
}
