import Foundation
import Testing

@testable import Media

/// A merge told its clips' frame names writes one chapter per clip over the clip's span (the stages after the merge
/// place sound and captions by them); ffprobe is the oracle for what a film carries.
@Suite struct ChapterTests {
    let fixtures = Fixtures.shared

    /// The chapters ffprobe reads from `path`: title, start and end in seconds.
    func probedChapters(_ path: String) throws -> [FilmChapter] {
        let result = try runTool([
            "ffprobe", "-v", "error", "-show_chapters", "-of", "json", path,
        ])
        struct Probe: Decodable {
            struct Chapter: Decodable {
                let start_time: String
                let end_time: String
                let tags: [String: String]?
            }
            let chapters: [Chapter]
        }
        let probe = try JSONDecoder().decode(Probe.self, from: Data(result.output.utf8))
        return probe.chapters.map {
            FilmChapter(
                title: $0.tags?["title"] ?? "", start: Double($0.start_time) ?? -1, end: Double($0.end_time) ?? -1)
        }
    }

    /// Each clip's shown duration, as ffprobe gives its video stream.
    func videoDuration(_ path: String) throws -> Double {
        let result = try runTool([
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=duration", "-of", "csv=p=0",
            path,
        ])
        return Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func aCopyMergeWritesAChapterPerClipOverItsSpan() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("film.mp4")
        // Frame names as people have them: spaces, accents, a dot-dot that is only text here.
        let titles = ["scène 01.jpg", "b..c.png", "IMG_0003.HEIC"]
        let report = try ClipMerger.merge(
            inputs: fixtures.withAudio, output: output, options: MergeOptions(mode: .copy), titles: titles)
        #expect(report.mode == .copy)
        let chapters = try probedChapters(output)
        #expect(chapters.map(\.title) == titles)
        var start = 0.0
        for (chapter, clip) in zip(chapters, fixtures.withAudio) {
            let duration = try videoDuration(clip)
            #expect(abs(chapter.start - start) < 0.002, "\(chapter.title) starts where the clips before it end")
            #expect(abs(chapter.end - (start + duration)) < 0.002, "\(chapter.title) ends with its clip")
            start += duration
        }
        #expect(abs(start - report.duration) < 0.002)
        // The film's own reader agrees with ffprobe, and the film still decodes clean.
        let read = try FilmChapters.read(path: output)
        #expect(read.map(\.title) == titles)
        for (ours, theirs) in zip(read, chapters) {
            #expect(abs(ours.start - theirs.start) < 0.001 && abs(ours.end - theirs.end) < 0.001)
        }
        #expect(try Oracle.decodeErrors(output) == "")
        #expect(try Oracle.moovFirst(output))
    }

    @Test func aFilmMergedWithoutTitlesHasNoChapters() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("film.mp4")
        _ = try ClipMerger.merge(inputs: fixtures.withAudio, output: output, options: MergeOptions(mode: .copy))
        #expect(try probedChapters(output).isEmpty)
        #expect(try FilmChapters.read(path: output).isEmpty)
    }

    @Test func titlesThatDoNotMatchTheClipsAreRefused() throws {
        let folder = try TemporaryFolder()
        #expect(throws: MediaError.self) {
            try ClipMerger.merge(inputs: fixtures.withAudio, output: folder.file("o.mp4"), titles: ["only-one.jpg"])
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("o.mp4")))
    }

    @Test func anIncrementalMergeWritesTheSameChaptersAndBytes() throws {
        let folder = try TemporaryFolder()
        let whole = folder.file("whole.mp4")
        let incremental = folder.file("incremental.mp4")
        let titles = ["a.jpg", "b.jpg", "c.jpg"]
        _ = try ClipMerger.merge(
            inputs: fixtures.withAudio, output: whole, options: MergeOptions(mode: .copy), titles: titles)
        let merge = try IncrementalCopyMerge(output: incremental, clipCount: 3, options: MergeOptions(mode: .copy))
        for (clip, title) in zip(fixtures.withAudio, titles) { try merge.append(clip, title: title) }
        _ = try merge.finish()
        #expect(try probedChapters(incremental).map(\.title) == titles)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: incremental)) == Data(contentsOf: URL(fileURLWithPath: whole)))
    }

    /// A chapter ends where the next starts and the last at the film's end, in both containers, even where a clip
    /// fades out under the next one.
    @Test(arguments: [OutputFormat.mp4, .webm])
    func aCrossfadedFilmsChaptersStartWhereEachClipFadesInAndEndWhereTheNextStarts(format: OutputFormat) throws {
        let folder = try TemporaryFolder()
        let output = folder.file("film.\(format.rawValue)")
        var options = MergeOptions(mode: .reencode, format: format, transition: .crossfade(seconds: 0.25))
        options.preset = "ultrafast"
        let titles = ["a.jpg", "b.jpg", "c.jpg"]
        let report = try ClipMerger.merge(inputs: fixtures.withAudio, output: output, options: options, titles: titles)
        let chapters = try probedChapters(output)
        #expect(chapters.map(\.title) == titles)
        // 1 s clips at 24 fps overlapping by 6 frames: the second is seen from 18/24 s, the third from 36/24 s.
        let starts = chapters.map(\.start)
        #expect(starts.count == 3 && abs(starts[0]) < 0.001)
        #expect(starts.count == 3 && abs(starts[1] - 0.75) < 0.002 && abs(starts[2] - 1.5) < 0.002)
        for (chapter, next) in zip(chapters, chapters.dropFirst()) {
            #expect(abs(chapter.end - next.start) < 0.001, "\(chapter.title) ends at \(chapter.end), not \(next.start)")
        }
        #expect(abs((chapters.last?.end ?? 0) - report.duration) < 0.002)
        #expect(try FilmChapters.read(path: output).map(\.title) == titles)
    }

    @Test func chaptersAreMadeContiguousWhateverTheSpansGiven() {
        let overlapping = [
            FilmChapter(title: "a", start: 0, end: 2), FilmChapter(title: "b", start: 1.5, end: 3.5),
            FilmChapter(title: "c", start: 3, end: 5),
        ]
        #expect(
            FilmChapter.contiguous(overlapping) == [
                FilmChapter(title: "a", start: 0, end: 1.5), FilmChapter(title: "b", start: 1.5, end: 3),
                FilmChapter(title: "c", start: 3, end: 5),
            ])
        #expect(FilmChapter.contiguous([]) == [])
    }
}
