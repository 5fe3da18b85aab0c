import Foundation
import Testing

@testable import Media

/// Rotation, pixel aspect and edit lists, in every mode: the film shows each clip as a player shows the
/// clip on its own (upright, in shape, hidden frames hidden). Checked with ffprobe's side data and with
/// the first frame as ffmpeg shows it (turned by its display matrix, stretched by its pixel aspect).
@Suite struct GeometryMergeTests {
    func options(_ mode: MergeMode) -> MergeOptions {
        var options = MergeOptions(mode: mode)
        options.preset = "ultrafast"
        return options
    }

    /// A 320x180 picture stored with a display matrix turning it 90° clockwise (ffprobe: rotation=-90),
    /// as a phone records portrait; and an unturned 320x180 clip.
    struct Turned {
        let folder: TemporaryFolder
        let portrait: String, landscape: String
        init() throws {
            folder = try TemporaryFolder()
            landscape = folder.file("landscape.mp4")
            portrait = folder.file("portrait.mp4")
            try MarkedClip.cornered(landscape)
            try MarkedClip.ffmpeg(["-i", landscape, "-c", "copy", "-metadata:s:v", "rotate=270", portrait])
        }
    }

    @Test func probeShowsRotationAndShownSize() throws {
        let clips = try Turned()
        #expect(try StreamShape(clips.portrait).rotation == -90)
        let geometry = try #require(try MediaProbe.probe(path: clips.portrait).video?.geometry)
        #expect(geometry.rotation == 90 && !geometry.mirrored)
        #expect(geometry.width == 320 && geometry.height == 180)
        #expect(geometry.displayWidth == 180 && geometry.displayHeight == 320)
    }

    @Test(arguments: [MergeMode.copy, .auto, .reencode])
    func turnedClipsStayUpright(mode: MergeMode) throws {
        let clips = try Turned()
        let output = clips.folder.file("film.mp4")
        let report = try ClipMerger.merge(
            inputs: [clips.portrait, clips.portrait], output: output, options: options(mode))
        let shape = try StreamShape(output)
        if mode == .reencode {
            #expect(report.mode == .reencode)
            // Turned pixels, no matrix.
            #expect(shape == StreamShape(width: 180, height: 320, sampleAspect: "1:1", rotation: 0))
        } else {
            #expect(report.mode == .copy)
            // The matrix kept.
            #expect(shape == StreamShape(width: 320, height: 180, sampleAspect: "1:1", rotation: -90))
        }
        let expected = try ShownFrame(clips.portrait, scratch: clips.folder.file("a"))
        for index in [0, 48] {
            let shown = try ShownFrame(output, index: index, scratch: clips.folder.file("b"))
            #expect(shown.width == 180 && shown.height == 320)
            #expect(
                shown.difference(from: expected) < 12, "frame \(index) differs by \(shown.difference(from: expected))")
        }
        #expect(try Oracle.decodeErrors(output) == "")
    }

    @Test func turnedAndUnturnedClipsAreNotCopiedIntoOneTrack() throws {
        let clips = try Turned()
        let output = clips.folder.file("film.mp4")
        #expect(
            throws: MediaError.incompatibleClip(
                index: 1, path: clips.landscape, parameter: "rotation (display matrix)",
                found: "upright", expected: "turned 90° clockwise")
        ) {
            try ClipMerger.merge(inputs: [clips.portrait, clips.landscape], output: output, options: options(.copy))
        }
        let report = try ClipMerger.merge(
            inputs: [clips.portrait, clips.landscape], output: output, options: options(.auto))
        #expect(report.mode == .reencode)
        #expect(report.reason.contains("rotation"))
        #expect(try StreamShape(output) == StreamShape(width: 180, height: 320, sampleAspect: "1:1", rotation: 0))
        let first = try ShownFrame(output, scratch: clips.folder.file("a"))
        #expect(first.difference(from: try ShownFrame(clips.portrait, scratch: clips.folder.file("b"))) < 12)
        // The landscape clip is letterboxed in the portrait film: 180x100 in the middle, black above and below.
        let strip = try runTool([
            "ffmpeg", "-v", "error", "-i", output, "-vf", "select=eq(n\\,48),crop=180:100:0:0", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ])
        #expect(!strip.output.utf8.isEmpty && strip.output.utf8.allSatisfy { $0 < 40 })
    }

    /// 160x180 stored pixels twice as wide as tall (shown 320x180), and a square-pixel 320x180 clip.
    struct Stretched {
        let folder: TemporaryFolder
        let wide: String, square: String
        init() throws {
            folder = try TemporaryFolder()
            wide = folder.file("wide.mp4")
            square = folder.file("square.mp4")
            try MarkedClip.cornered(wide, filters: "scale=160:180,setsar=2/1")
            try MarkedClip.cornered(square)
        }
    }

    @Test(arguments: [MergeMode.copy, .auto, .reencode])
    func pixelAspectIsKept(mode: MergeMode) throws {
        let clips = try Stretched()
        let geometry = try #require(try MediaProbe.probe(path: clips.wide).video?.geometry)
        #expect(geometry.sampleAspectRatio == "2:1" && geometry.displayWidth == 320 && geometry.displayHeight == 180)
        let output = clips.folder.file("film.mp4")
        let report = try ClipMerger.merge(inputs: [clips.wide, clips.wide], output: output, options: options(mode))
        let shape = try StreamShape(output)
        if mode == .reencode {
            #expect(shape == StreamShape(width: 320, height: 180, sampleAspect: "1:1", rotation: 0))
        } else {
            #expect(report.mode == .copy)
            #expect(shape == StreamShape(width: 160, height: 180, sampleAspect: "2:1", rotation: 0))
        }
        let shown = try ShownFrame(output, scratch: clips.folder.file("a"))
        #expect(shown.width == 320 && shown.height == 180)
        #expect(shown.difference(from: try ShownFrame(clips.wide, scratch: clips.folder.file("b"))) < 12)
    }

    @Test func differentPixelAspectIsReencodedInShape() throws {
        let clips = try Stretched()
        let output = clips.folder.file("film.mp4")
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: [clips.square, clips.wide], output: output, options: options(.copy))
        }
        let report = try ClipMerger.merge(inputs: [clips.square, clips.wide], output: output, options: options(.auto))
        #expect(report.mode == .reencode)
        #expect(report.reason.contains("sample aspect ratio") || report.reason.contains("video size"))
        #expect(try StreamShape(output) == StreamShape(width: 320, height: 180, sampleAspect: "1:1", rotation: 0))
        // The stretched clip fills the 320x180 film (same shown shape): no padding, the same picture.
        let second = try ShownFrame(output, index: 48, scratch: clips.folder.file("a"))
        #expect(second.difference(from: try ShownFrame(clips.wide, scratch: clips.folder.file("b"))) < 12)
    }

    /// A 4 s source with keyframes at 0 and 2 s; `trimmed` is cut at 1 s by stream copy (its edit list
    /// hides the 24 frames from the keyframe at 0), `whole` is its first 2 s (nothing hidden).
    struct Trimmed {
        let folder: TemporaryFolder
        let trimmed: String, whole: String
        init() throws {
            folder = try TemporaryFolder()
            let source = folder.file("source.mp4")
            trimmed = folder.file("trimmed.mp4")
            whole = folder.file("whole.mp4")
            try MarkedClip.cornered(source, seconds: 4, gop: 48, audio: true)
            try MarkedClip.ffmpeg(["-ss", "1", "-i", source, "-t", "2", "-c", "copy", trimmed])
            try MarkedClip.ffmpeg(["-i", source, "-t", "2", "-c", "copy", whole])
        }
    }

    @Test func probeCountsFramesAnEditListHides() throws {
        let clips = try Trimmed()
        let timeline = try #require(try MediaProbe.probe(path: clips.trimmed).timeline)
        #expect(timeline.hiddenFramesBefore == 24 && timeline.videoDuration == 2)
        #expect(try MediaProbe.probe(path: clips.whole).timeline?.hiddenFramesBefore == 0)
    }

    @Test func aTrimmedFirstClipIsCopiedWithItsHiddenFramesStillHidden() throws {
        let clips = try Trimmed()
        let output = clips.folder.file("film.mp4")
        let report = try ClipMerger.merge(
            inputs: [clips.trimmed, clips.whole], output: output, options: options(.copy))
        #expect(report.mode == .copy)
        let shown = try runTool([
            "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
            "stream=nb_read_frames", "-of", "csv=p=0", output,
        ]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(shown == "96")
        #expect(try Oracle.decodeErrors(output) == "")
        let first = try ShownFrame(output, scratch: clips.folder.file("a"))
        #expect(first.difference(from: try ShownFrame(clips.trimmed, scratch: clips.folder.file("b"))) < 6)
        let join = try ShownFrame(output, index: 48, scratch: clips.folder.file("a"))
        #expect(join.difference(from: try ShownFrame(clips.whole, scratch: clips.folder.file("b"))) < 6)
    }

    @Test(arguments: [MergeMode.copy, .auto, .reencode])
    func aTrimmedClipAfterAJoinShowsOnlyWhatItsEditListShows(mode: MergeMode) throws {
        let clips = try Trimmed()
        let output = clips.folder.file("film.mp4")
        if mode == .copy {
            #expect(throws: MediaError.self) {
                try ClipMerger.merge(inputs: [clips.whole, clips.trimmed], output: output, options: options(mode))
            }
            do {
                _ = try ClipMerger.merge(inputs: [clips.whole, clips.trimmed], output: output, options: options(mode))
            } catch {
                #expect(error.description.contains("hides 24 frames") && error.description.contains("clip 2"))
            }
            #expect(!FileManager.default.fileExists(atPath: output))
            return
        }
        let report = try ClipMerger.merge(inputs: [clips.whole, clips.trimmed], output: output, options: options(mode))
        #expect(report.mode == .reencode)
        if mode == .auto { #expect(report.reason.contains("edit list hides 24 frames")) }
        #expect(try Oracle(output).video?.frames == 96)
        #expect(try Oracle.decodeErrors(output) == "")
        let join = try ShownFrame(output, index: 48, scratch: clips.folder.file("a"))
        #expect(join.difference(from: try ShownFrame(clips.trimmed, scratch: clips.folder.file("b"))) < 12)
    }
}
