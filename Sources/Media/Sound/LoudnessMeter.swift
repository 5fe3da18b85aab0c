import CFFmpeg

/// EBU R128 integrated loudness (gated), measured by libavfilter's `ebur128` over 48 kHz stereo blocks fed in
/// order. The filter says its running value on the frames it passes (`metadata=1`); the last one is the stream's.
final class LoudnessMeter {
    private let graph: AudioFilterGraph
    private let path: String
    private let measured: Frame
    private var pts: Int64 = 0
    private var integrated: Double?

    /// A meter; `path` names what is measured in errors.
    init(path: String) throws(MediaError) {
        self.path = path
        graph = try AudioFilterGraph(
            description: "ebur128=metadata=1", input: .init(stereoFloatAt: Int32(StereoSamples.rate)), path: path)
        measured = try Frame()
    }

    /// Measures `block` too.
    func add(_ block: StereoSamples) throws(MediaError) {
        guard block.count > 0 else { return }
        try graph.push(try block.frame(pts: pts), path: path)
        pts += Int64(block.count)
        try drain()
    }

    /// The integrated loudness of everything added, in LUFS; nil when nothing passed the gate (silence).
    func finish() throws(MediaError) -> Double? {
        try graph.push(nil, path: path)
        try drain()
        return integrated
    }

    private func drain() throws(MediaError) {
        while try graph.pull(into: measured, path: path) {
            guard let entry = av_dict_get(measured.pointer.pointee.metadata, "lavfi.r128.I", nil, 0),
                let text = entry.pointee.value, let value = Double(String(cString: text))
            else { continue }
            // The filter says -70 LUFS (its absolute gate) while nothing has passed the gate.
            integrated = value > -70 ? value : nil
        }
    }
}
