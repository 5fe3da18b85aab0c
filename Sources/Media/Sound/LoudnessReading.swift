import CFFmpeg

/// What `ebur128=metadata=1` says on the frames it passes: the integrated loudness so far (EBU R128, gated) and,
/// with `peak=true`, the highest true peak so far. The last frame's values are the whole stream's.
struct LoudnessReading {
    /// Integrated loudness in LUFS; nil until a block is loud enough to count (a silent stream stays nil).
    var integrated: Double?
    /// The highest true peak, linear (1 is full scale); nil without `peak=true`.
    var truePeakLinear: Double?

    /// The true peak in dBTP.
    var truePeak: Double? { truePeakLinear.map { $0 > 0 ? 20 * log10($0) : -.infinity } }

    /// Takes the values `frame` carries.
    mutating func read(_ frame: Frame) {
        let metadata = frame.pointer.pointee.metadata
        if let value = Self.value("lavfi.r128.I", in: metadata) {
            // The filter reports -70 LUFS (its absolute gate) while nothing has passed the gate.
            integrated = value > -70 ? value : nil
        }
        if let value = Self.value("lavfi.r128.true_peak", in: metadata) {
            truePeakLinear = max(truePeakLinear ?? 0, value)
        }
    }

    private static func value(_ key: String, in metadata: OpaquePointer?) -> Double? {
        guard let entry = av_dict_get(metadata, key, nil, 0), let text = entry.pointee.value else { return nil }
        return Double(String(cString: text))
    }
}
