import CFFmpeg

/// What a film stage copies from its input film into its output as it is: the chapters (the clips' spans a merge
/// wrote) and a stream's side data (a phone clip's display matrix, among others).
extension OutputFile {
    /// `input`'s chapters, as `ffmpeg` copies them (before the header is written): an array the format context
    /// owns from here (`avformat_free_context` frees it, each chapter and its metadata).
    func copyChapters(from input: InputFile) throws(MediaError) {
        let count = Int(input.context.pointee.nb_chapters)
        guard count > 0, let chapters = input.context.pointee.chapters else { return }
        guard
            let array = av_calloc(count, MemoryLayout<UnsafeMutablePointer<AVChapter>?>.stride)?
                .assumingMemoryBound(to: UnsafeMutablePointer<AVChapter>?.self)
        else { throw .unavailable("memory for chapters") }
        context.pointee.chapters = array
        for index in 0..<count {
            guard let source = chapters[index],
                let chapter = av_mallocz(MemoryLayout<AVChapter>.stride)?.assumingMemoryBound(to: AVChapter.self)
            else { throw .unavailable("memory for a chapter") }
            chapter.pointee.id = source.pointee.id
            chapter.pointee.time_base = source.pointee.time_base
            chapter.pointee.start = source.pointee.start
            chapter.pointee.end = source.pointee.end
            av_dict_copy(&chapter.pointee.metadata, source.pointee.metadata, 0)
            array[index] = chapter
            context.pointee.nb_chapters = UInt32(index + 1)
        }
    }

    /// `source`'s side data (a display matrix...) on `stream`, an output stream of this file.
    static func copySideData(from source: UnsafeMutablePointer<AVStream>, to stream: UnsafeMutablePointer<AVStream>)
        throws(MediaError)
    {
        guard let entries = source.pointee.side_data else { return }
        for entry in UnsafeBufferPointer(start: entries, count: Int(source.pointee.nb_side_data)) {
            guard let data = entry.data, entry.size > 0 else { continue }
            guard let copy = av_stream_new_side_data(stream, entry.type, entry.size) else {
                throw .unavailable("memory for stream side data")
            }
            copy.update(from: data, count: entry.size)
        }
    }
}
