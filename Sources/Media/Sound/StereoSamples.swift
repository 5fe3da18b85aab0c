import CFFmpeg

/// Stereo samples at the mix's rate as two Float planes: what every source of a soundtrack is turned into.
struct StereoSamples {
    /// The rate every soundtrack is mixed and encoded at.
    static let rate = 48_000

    var left: [Float] = []
    var right: [Float] = []

    var count: Int { left.count }

    /// `count` samples of silence.
    static func silence(_ count: Int) -> StereoSamples {
        StereoSamples(left: [Float](repeating: 0, count: count), right: [Float](repeating: 0, count: count))
    }

    /// Appends a planar Float stereo frame's samples (the format the readers' graphs end in).
    mutating func append(planarStereo frame: Frame) {
        let f = frame.pointer.pointee
        let count = Int(f.nb_samples)
        guard count > 0, let data = f.extended_data, let l = data[0], let r = data[f.ch_layout.nb_channels > 1 ? 1 : 0]
        else { return }
        l.withMemoryRebound(to: Float.self, capacity: count) {
            left.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
        r.withMemoryRebound(to: Float.self, capacity: count) {
            right.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// Removes and returns the first `count` samples (fewer when there are not that many).
    mutating func take(_ count: Int) -> StereoSamples {
        let n = min(count, self.count)
        let taken = StereoSamples(left: Array(left[..<n]), right: Array(right[..<n]))
        left.removeFirst(n)
        right.removeFirst(n)
        return taken
    }

    /// A planar Float stereo frame of these samples, stamped `pts` (in samples).
    func frame(pts: Int64) throws(MediaError) -> Frame {
        let frame = try Frame()
        let f = frame.pointer
        f.pointee.nb_samples = Int32(count)
        f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointee.sample_rate = Int32(Self.rate)
        av_channel_layout_default(&f.pointee.ch_layout, 2)
        guard av_frame_get_buffer(f, 0) >= 0, let data = f.pointee.extended_data else {
            throw .unavailable("memory for an audio frame")
        }
        for (index, plane) in [left, right].enumerated() {
            plane.withUnsafeBufferPointer { samples in
                data[index]?.withMemoryRebound(to: Float.self, capacity: count) { out in
                    if let base = samples.baseAddress { out.update(from: base, count: count) }
                }
            }
        }
        f.pointee.pts = pts
        return frame
    }
}
