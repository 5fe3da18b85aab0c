import CFFmpeg

/// The versions of the FFmpeg libraries this build is linked against, for `runner --version`.
public enum MediaLibraries {
    /// "libavformat 59.27.100, libavcodec 59.37.100, ..." as linked at run time.
    public static var versions: String {
        let parts: [(String, UInt32)] = [
            ("libavformat", avformat_version()),
            ("libavcodec", avcodec_version()),
            ("libavutil", avutil_version()),
            ("libswscale", swscale_version()),
        ]
        return parts.map { name, version in
            "\(name) \(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)"
        }.joined(separator: ", ")
    }
}

extension MediaLibraries {
    /// FFmpeg's process-wide settings, made once, on Media's first use of the libraries (not at process start:
    /// `runner validate` and `runner schema` never initialise them). FFmpeg prints no warnings of its own to stderr:
    /// the command line reports errors itself, in sentences.
    private static let prepared: Void = av_log_set_level(AV_LOG_FATAL)

    /// Makes FFmpeg's process-wide settings if no use of Media has made them yet. Every type that opens a libav
    /// context (InputFile, OutputFile, CodecContext, Scaler) calls it first; calling it again costs nothing.
    static func prepare() {
        _ = prepared
    }

    /// Stops FFmpeg printing its own warnings to stderr. Media does this on first use; callers that use
    /// the libraries before Media does (tests that call libav directly) may call it first.
    public static func silenceLibraryLogs() {
        prepare()
    }
}
