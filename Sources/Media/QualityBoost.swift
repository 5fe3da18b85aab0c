import CFFmpeg

/// Asks x264 for a better picture on chosen frames: a region of interest covering the whole frame with a negative
/// quantizer offset (FFmpeg's `AV_FRAME_DATA_REGIONS_OF_INTEREST`, which libx264 applies as quant offsets while
/// adaptive quantization is on, as it is by default). A chained Ken Burns clip encodes its joins so, so that the
/// picture it ends on and the one the next clip opens with, the same picture before encoding, stay the same after.
enum QualityBoost {
    /// Quantizer steps taken off the boosted frames: about a quarter of the bits' error per step of 6.
    static let quantizerSteps: Int32 = 14

    /// Marks `frame` (its side data, until `clear`) to be encoded `quantizerSteps` finer.
    static func mark(_ frame: Frame) throws(MediaError) {
        clear(frame)
        let size = MemoryLayout<AVRegionOfInterest>.size
        guard let data = av_frame_new_side_data(frame.pointer, AV_FRAME_DATA_REGIONS_OF_INTEREST, size) else {
            throw .unavailable("memory for a frame's region of interest")
        }
        // libx264 scales `qoffset` by its quantizer range (51 at 8 bits): -14/51 is 14 steps finer.
        let region = AVRegionOfInterest(
            self_size: UInt32(size), top: 0, bottom: Int32(frame.height), left: 0, right: Int32(frame.width),
            qoffset: AVRational(num: -quantizerSteps, den: 51))
        UnsafeMutableRawPointer(data.pointee.data).storeBytes(of: region, as: AVRegionOfInterest.self)
    }

    /// Removes the mark, so the next frame encoded from `frame`'s buffers is encoded as usual.
    static func clear(_ frame: Frame) {
        av_frame_remove_side_data(frame.pointer, AV_FRAME_DATA_REGIONS_OF_INTEREST)
    }
}
