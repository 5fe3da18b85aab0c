import CFFmpeg

/// Joins clips that share codec parameters by remuxing their packets (no decoding), one clip open at a time.
struct CopyMerger {
    let inputs: [String]
    let output: String
    let format: OutputFormat
    let shouldStop: (@Sendable () -> Bool)?
    let progress: (@Sendable (MergeProgress) -> Void)?

    /// Per output stream: where the last packet ended, to keep DTS strictly rising across joins.
    private struct StreamState {
        var lastDTS: Int64 = Int64.min
    }

    func run(reason: String, hasAudio: Bool) throws(MediaError) -> MergeReport {
        let microseconds = AVRational(num: 1, den: Int32(AV_TIME_BASE))
        let out = try OutputFile(path: output, format: format.rawValue)
        let packet = try Packet()
        var states: [StreamState] = []
        var offset: Int64 = 0  // start of the current clip in the output, microseconds
        var adjustments = 0

        for (clipIndex, path) in inputs.enumerated() {
            if shouldStop?() == true { throw .cancelled(path: output) }
            let input = try InputFile(path: path, probing: clipIndex == 0 ? .full : .whenNeeded)
            // Map: input stream index -> output stream index (video 0, audio 1).
            var mapping: [Int: Int] = [:]
            guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
            mapping[videoIndex] = 0
            if hasAudio, let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO) { mapping[audioIndex] = 1 }

            if clipIndex == 0 {
                for inputIndex in mapping.sorted(by: { $0.value < $1.value }).map(\.key) {
                    guard let stream = input.stream(inputIndex) else { continue }
                    let outStream = try out.addStream()
                    guard let target = outStream.pointee.codecpar, let source = stream.pointee.codecpar,
                          avcodec_parameters_copy(target, source) >= 0 else {
                        throw .outputFailed(path: output, reason: "cannot copy codec parameters")
                    }
                    target.pointee.codec_tag = 0  // let the MP4 muxer pick the tag for its container
                    outStream.pointee.time_base = stream.pointee.time_base
                    states.append(StreamState())
                }
                try out.writeHeader(faststart: format == .mp4)
            }

            // The clip's own start (the earliest stream start), so each clip begins exactly at `offset`.
            var clipStart = Int64.max
            for inputIndex in mapping.keys {
                guard let stream = input.stream(inputIndex), stream.pointee.start_time != runner_av_nopts_value() else { continue }
                clipStart = min(clipStart, av_rescale_q(stream.pointee.start_time, stream.pointee.time_base, microseconds))
            }
            if clipStart == Int64.max { clipStart = 0 }

            var clipEnd = offset
            var packetsRead = 0
            while try input.read(into: packet) {
                defer { packet.unref() }
                packetsRead += 1
                if packetsRead % 256 == 0, shouldStop?() == true { throw .cancelled(path: output) }
                let inputIndex = Int(packet.pointer.pointee.stream_index)
                guard let outputIndex = mapping[inputIndex], let inStream = input.stream(inputIndex),
                      let outStream = out.stream(outputIndex) else { continue }
                let inBase = inStream.pointee.time_base, outBase = outStream.pointee.time_base
                let shiftIn = av_rescale_q(clipStart, microseconds, inBase)
                let shiftOut = av_rescale_q(offset, microseconds, outBase)
                let p = packet.pointer
                let noValue = runner_av_nopts_value()
                if p.pointee.pts != noValue { p.pointee.pts = av_rescale_q(p.pointee.pts - shiftIn, inBase, outBase) + shiftOut }
                if p.pointee.dts != noValue { p.pointee.dts = av_rescale_q(p.pointee.dts - shiftIn, inBase, outBase) + shiftOut }
                if p.pointee.dts == noValue { p.pointee.dts = p.pointee.pts }
                p.pointee.duration = av_rescale_q(p.pointee.duration, inBase, outBase)
                if p.pointee.dts <= states[outputIndex].lastDTS, p.pointee.dts != noValue {
                    p.pointee.dts = states[outputIndex].lastDTS + 1
                    adjustments += 1
                }
                if p.pointee.pts != noValue, p.pointee.pts < p.pointee.dts { p.pointee.pts = p.pointee.dts }
                states[outputIndex].lastDTS = p.pointee.dts
                if p.pointee.pts != noValue {
                    clipEnd = max(clipEnd, av_rescale_q(p.pointee.pts + p.pointee.duration, outBase, microseconds))
                }
                p.pointee.stream_index = Int32(outputIndex)
                p.pointee.pos = -1
                try out.write(packet)
            }
            offset = clipEnd
            progress?(MergeProgress(clipsDone: clipIndex + 1, clipCount: inputs.count, secondsWritten: Double(offset) / 1e6))
        }
        try out.finish()
        return MergeReport(mode: .copy, reason: reason, output: output, clipCount: inputs.count,
                           duration: Double(offset) / 1e6, hasAudio: hasAudio, timestampAdjustments: adjustments)
    }
}
