/// What `KenBurns.render` did and where the time went.
public struct KenBurnsReport: Sendable, Equatable {
    public var output: String
    public var frames: Int
    /// "in" or "out".
    public var zoomDirection: String
    /// Seconds spent decoding and pre-scaling the image (once).
    public var loadSeconds: Double
    /// Seconds spent drawing frames (sub-pixel crops).
    public var renderSeconds: Double
    /// Seconds spent in the encoder and muxer.
    public var encodeSeconds: Double
}
