import CFFmpeg

/// How far a Matroska/WebM audio stream's packets are moved before the muxer sees them, so that Opus' codec delay
/// (pre-skip: 312 samples at 48 kHz, 6.5 ms) is hidden the way Matroska hides it (the `CodecDelay` element, which
/// the demuxer subtracts from every block) rather than by moving the whole film.
///
/// An Opus encoder's first packet is at minus the delay. libavformat 59.30 and older (FFmpeg 5.1) write `CodecDelay`
/// but keep no room for those negative times: their `avoid_negative_ts` then moves every stream later by the delay,
/// the picture included, and a demuxer subtracts the delay from the sound only, so the picture is 7 ms late, once
/// more at each stage that copies it. Newer ones move the Opus blocks themselves (`lowest_ts_allowed`). So on the
/// older ones the blocks are moved here by the same amount, and nothing is shifted.
enum MatroskaCodecDelay {
    /// The last libavformat that shifts the whole film for Opus' delay (59.30.100, as `AV_VERSION_INT` packs it).
    static let lastShiftingVersion: UInt32 = 59 << 16 | 30 << 8 | 100

    /// Ticks of `stream`'s time base to add to its packets' times in a file written by `muxer` ("webm",
    /// "matroska"), with libavformat `version`: the Opus delay when the muxer does not move the blocks itself, else 0.
    static func lead(
        of stream: UnsafeMutablePointer<AVStream>, muxer: String, version: UInt32 = avformat_version()
    ) -> Int64 {
        guard version <= lastShiftingVersion, muxer == "webm" || muxer == "matroska",
            let parameters = stream.pointee.codecpar, parameters.pointee.codec_id == AV_CODEC_ID_OPUS,
            parameters.pointee.initial_padding > 0
        else { return 0 }
        // Opus counts its delay at 48 kHz whatever the stream's rate; rounded as the demuxer rounds `CodecDelay`.
        return av_rescale_q(
            Int64(parameters.pointee.initial_padding), AVRational(num: 1, den: 48_000), stream.pointee.time_base)
    }
}
