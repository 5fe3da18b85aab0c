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
    /// Stops FFmpeg printing its own warnings to stderr (the command line reports errors itself, in sentences).
    /// This sets FFmpeg's process-wide log level, so call it once at start-up.
    public static func silenceLibraryLogs() {
        av_log_set_level(AV_LOG_FATAL)
    }
}
