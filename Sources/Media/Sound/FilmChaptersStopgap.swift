import CFFmpeg

// Stopgap until main's `FilmChapters` (the merge's chapters, issue #19) is merged into this branch; then this file
// is deleted and the soundtrack reads the same names from there.

/// One chapter of a film: the clip made from `title` (its source frame's name) spans `start` to `end` seconds.
public struct FilmChapter: Sendable, Equatable {
    public var title: String
    public var start: Double
    public var end: Double

    public init(title: String, start: Double, end: Double) {
        self.title = title
        self.start = start
        self.end = end
    }
}

/// A film's chapters.
public enum FilmChapters {
    /// The chapters of the film at `path`, in order; empty when it has none.
    public static func read(path: String) throws(MediaError) -> [FilmChapter] {
        let input = try InputFile(path: path, probing: .none)
        let count = Int(input.context.pointee.nb_chapters)
        guard count > 0, let chapters = input.context.pointee.chapters else { return [] }
        return (0..<count).compactMap { index in
            guard let chapter = chapters[index] else { return nil }
            let base = av_q2d(chapter.pointee.time_base)
            let title =
                av_dict_get(chapter.pointee.metadata, "title", nil, 0).flatMap { $0.pointee.value }
                .map { String(cString: $0) } ?? ""
            return FilmChapter(
                title: title, start: Double(chapter.pointee.start) * base, end: Double(chapter.pointee.end) * base)
        }
    }
}
