import CFFmpeg

/// One clip's place in a merged film, as the film's chapters carry it: the frame the clip was made from and the
/// span of the film where the clip is seen, in seconds from the film's start.
///
/// A merge writes one chapter per clip (when it is told the clips' titles), so that the stages after it (sound,
/// captions) place things per frame without guessing, and players list the clips. MP4 keeps chapters as
/// QuickTime's chapter track and Nero's `chpl` box (libavformat's movenc writes both); WebM as Matroska chapters.
/// A chapter ends where the next starts, in both containers (MP4 stores starts only; in WebM a clip fading out under
/// the next one would otherwise overlap it): the last ends at the film's end.
public struct FilmChapter: Sendable, Equatable, Codable {
    /// The clip's source frame name (e.g. `scene-01.jpg`).
    public var title: String
    /// Seconds from the film's start where the clip begins to be seen.
    public var start: Double
    /// Seconds from the film's start where the clip's span ends.
    public var end: Double

    public init(title: String, start: Double, end: Double) {
        self.title = title
        self.start = start
        self.end = end
    }

    /// `chapters` (in film order) with each one's end moved to where the next starts; the last keeps its end.
    static func contiguous(_ chapters: [FilmChapter]) -> [FilmChapter] {
        chapters.indices.map { index in
            var chapter = chapters[index]
            if index + 1 < chapters.count { chapter.end = chapters[index + 1].start }
            return chapter
        }
    }
}

/// Reads the chapters a film carries.
public enum FilmChapters {
    /// The chapters of the film at `path`, in order (empty when it has none), with times in seconds of the film's
    /// timeline, as stored: the timeline a film stage copies the picture on, so that chapters written back with
    /// `setChapters` stay where they were, stage after stage. (Not the demuxer's start time subtracted: a WebM's
    /// starts before its picture, at its sound's Opus pre-skip, and the chapters would move by it at each stage.)
    /// - Throws: `MediaError.fileNotFound`, `.notMedia` when the file cannot be opened as media.
    public static func read(path: String) throws(MediaError) -> [FilmChapter] {
        let input = try InputFile(path: path, probing: .whenNeeded)
        let context = input.context.pointee
        var chapters: [FilmChapter] = []
        for index in 0..<Int(context.nb_chapters) {
            guard let chapter = context.chapters?[index] else { continue }
            let base = chapter.pointee.time_base
            let title = av_dict_get(chapter.pointee.metadata, "title", nil, 0).map { String(cString: $0.pointee.value) }
            chapters.append(
                FilmChapter(
                    title: title ?? "",
                    start: max(0, Double(chapter.pointee.start) * av_q2d(base)),
                    end: max(0, Double(chapter.pointee.end) * av_q2d(base))))
        }
        return chapters
    }
}

extension OutputFile {
    /// Gives the file `chapters` (times in seconds from the film's start), made contiguous (`FilmChapter.contiguous`,
    /// as MP4 reads them back); called before `finish()`. movenc and the Matroska muxer write chapters added after
    /// the header when they write the trailer.
    func setChapters(_ chapters: [FilmChapter]) throws(MediaError) {
        let microseconds = AVRational(num: 1, den: 1_000_000)
        for (index, chapter) in FilmChapter.contiguous(chapters).enumerated() {
            guard let made = av_mallocz(MemoryLayout<AVChapter>.size) else {
                throw .unavailable("memory for a chapter")
            }
            let entry = made.bindMemory(to: AVChapter.self, capacity: 1)
            entry.pointee.id = Int64(index)
            entry.pointee.time_base = microseconds
            entry.pointee.start = Int64((chapter.start * 1e6).rounded())
            entry.pointee.end = Int64((chapter.end * 1e6).rounded())
            av_dict_set(&entry.pointee.metadata, "title", chapter.title, 0)
            // The context owns the chapter from here: avformat_free_context frees it with its metadata.
            var count = Int32(context.pointee.nb_chapters)
            let status = av_dynarray_add_nofree(&context.pointee.chapters, &count, entry)
            guard status >= 0 else {
                av_dict_free(&entry.pointee.metadata)
                av_free(entry)
                throw .unavailable("memory for a chapter")
            }
            context.pointee.nb_chapters = UInt32(count)
        }
    }
}
