import CFFmpeg

/// Turns decoded audio of any sample format, channel count and rate into planar Float at the output's
/// channel count and rate (linear interpolation; this build has no libswresample).
final class SampleConverter {
    let channels: Int, rate: Int
    private var history: [Float]?
    private var position = 0.0

    init(channels: Int, rate: Int) {
        self.channels = channels
        self.rate = rate
    }

    /// The frame's samples converted; keeps state across calls so resampling is seamless.
    func convert(_ frame: Frame) -> [[Float]] {
        let mapped = mapChannels(Self.planarFloat(frame))
        let sourceRate = Int(frame.pointer.pointee.sample_rate)
        guard sourceRate > 0, sourceRate != rate else { return mapped }
        return resample(mapped, ratio: Double(sourceRate) / Double(rate))
    }

    private func mapChannels(_ planes: [[Float]]) -> [[Float]] {
        guard let first = planes.first else { return Array(repeating: [], count: channels) }
        if planes.count == channels { return planes }
        if channels == 1 {
            var mix = [Float](repeating: 0, count: first.count)
            for plane in planes { for i in 0..<mix.count { mix[i] += plane[i] } }
            let scale = 1 / Float(planes.count)
            return [mix.map { $0 * scale }]
        }
        // Stereo from mono duplicates; from more channels keeps front left and right.
        return (0..<channels).map { planes[min($0, planes.count - 1)] }
    }

    private func resample(_ planes: [[Float]], ratio: Double) -> [[Float]] {
        let count = planes.first?.count ?? 0
        guard count > 0 else { return planes }
        let buffers: [[Float]] = planes.enumerated().map { index, plane in
            history.map { [$0[index]] + plane } ?? plane
        }
        let length = buffers[0].count
        var output = Array(repeating: [Float](), count: buffers.count)
        while position < Double(length - 1) {
            let whole = Int(position)
            let part = Float(position - Double(whole))
            for c in 0..<buffers.count {
                output[c].append(buffers[c][whole] * (1 - part) + buffers[c][whole + 1] * part)
            }
            position += ratio
        }
        position -= Double(length - 1)
        history = buffers.map { $0[length - 1] }
        return output
    }

    /// Reads any of FFmpeg's sample formats (packed or planar) into one Float array per channel.
    static func planarFloat(_ frame: Frame) -> [[Float]] {
        let f = frame.pointer.pointee
        let channels = Int(f.ch_layout.nb_channels)
        let count = Int(f.nb_samples)
        let format = AVSampleFormat(rawValue: f.format)
        let planar = av_sample_fmt_is_planar(format) != 0
        let packed = av_get_packed_sample_fmt(format)
        guard channels > 0, count > 0, let data = f.extended_data else { return [] }
        return (0..<channels).map { channel in
            guard let base = planar ? data[channel] : data[0] else { return [Float](repeating: 0, count: count) }
            let step = planar ? 1 : channels
            let offset = planar ? 0 : channel
            return (0..<count).map { i in
                let index = i * step + offset
                switch packed {
                case AV_SAMPLE_FMT_U8: return (Float(base[index]) - 128) / 128
                case AV_SAMPLE_FMT_S16:
                    return base.withMemoryRebound(to: Int16.self, capacity: index + 1) { Float($0[index]) / 32768 }
                case AV_SAMPLE_FMT_S32:
                    return base.withMemoryRebound(to: Int32.self, capacity: index + 1) {
                        Float($0[index]) / 2_147_483_648
                    }
                case AV_SAMPLE_FMT_FLT: return base.withMemoryRebound(to: Float.self, capacity: index + 1) { $0[index] }
                case AV_SAMPLE_FMT_DBL:
                    return base.withMemoryRebound(to: Double.self, capacity: index + 1) { Float($0[index]) }
                default: return 0
                }
            }
        }
    }
}
