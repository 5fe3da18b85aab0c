import CFFmpeg

/// What a film stage copies from its input film's streams into its output's as it is: side data (a phone clip's
/// display matrix, among others).
extension OutputFile {
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
