/// What `MediaProbe` found in a file.
public struct MediaInfo: Sendable, Codable, Equatable {
    /// The file probed.
    public var path: String
    /// The container format's short names, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var container: String
    /// Duration in seconds (0 when the container does not say).
    public var duration: Double
    /// Overall bit rate in bits per second, when known.
    public var bitRate: Int?
    /// Every stream, in file order.
    public var streams: [StreamInfo]
    /// The shown video span and where the audio lies against it (nil for a file without video).
    public var timeline: ClipTimeline?

    /// True when the file has at least one audio stream.
    public var hasAudio: Bool { streams.contains { $0.kind == .audio } }
    /// The first video stream, if any.
    public var video: StreamInfo? { streams.first { $0.kind == .video } }
    /// The first audio stream, if any.
    public var audio: StreamInfo? { streams.first { $0.kind == .audio } }
}

/// One stream of a probed file.
public struct StreamInfo: Sendable, Codable, Equatable {
    /// Whether a stream is video, audio or something else.
    public enum Kind: String, Sendable, Codable { case video, audio, subtitle, data, other }

    public var index: Int
    public var kind: Kind
    /// Codec short name, e.g. "h264", "aac".
    public var codec: String
    /// Codec profile, e.g. "High", "LC", when known.
    public var profile: String?
    /// Time base as "num/den".
    public var timeBase: String
    /// Stream duration in seconds, when known.
    public var duration: Double?
    public var width: Int?
    public var height: Int?
    /// Average frame rate in frames per second (video).
    public var frameRate: Double?
    /// Average frame rate as "num/den" (video).
    public var frameRateFraction: String?
    /// Pixel format name, e.g. "yuv420p" (video).
    public var pixelFormat: String?
    public var sampleRate: Int?
    public var channels: Int?
    /// Sample format name, e.g. "fltp" (audio).
    public var sampleFormat: String?
    /// Rotation, pixel aspect ratio and displayed size (video).
    public var geometry: ClipGeometry?
}
