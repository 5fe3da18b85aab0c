/// Merges clips into one video: losslessly when they allow it, otherwise by re-encoding.
public enum ClipMerger {
    /// Merges `inputs` in order into `output` (written to a temporary file, renamed at the end). `titles` (empty, or
    /// one per input: each clip's source frame name) become the film's chapters, one per clip's span.
    /// `progress` is called after each clip, on the calling thread; when `shouldStop` returns true (it is
    /// polled often) the merge stops, deletes its partial output and throws `.cancelled`.
    public static func merge(
        inputs: [String], output: String, options: MergeOptions = MergeOptions(), titles: [String] = [],
        progress: (@Sendable (MergeProgress) -> Void)? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(MediaError) -> MergeReport {
        try options.validate()
        guard !inputs.isEmpty else { throw .noClips }
        guard titles.isEmpty || titles.count == inputs.count else {
            throw .invalidOption("\(titles.count) chapter titles were given for \(inputs.count) clips.")
        }
        var clips: [CheckedClip] = []
        for path in inputs { clips.append(try CheckedClip(path)) }
        if options.hasTransitions, clips.count > 1, options.mode != .reencode {
            switch try JoinMerger.prepare(
                clips: clips, output: output, options: options, titles: titles, shouldStop: shouldStop,
                progress: progress)
            {
            case .success(let merger):
                return try merger.run(
                    reason:
                        "copying the clips' groups of pictures because all \(clips.count) clips share codec parameters (\(clips[0].signature.summary))"
                )
            case .failure(let problem):
                if options.mode == .copy {
                    throw .invalidOption(
                        "The transitions cannot be made by re-encoding only the joins: \(problem.reason). Use --mode auto or reencode."
                    )
                }
                return try ReencodeMerger(
                    clips: clips.map(\.info), output: output, options: options, titles: titles, shouldStop: shouldStop,
                    progress: progress
                )
                .run(
                    reason:
                        "re-encoding the whole film because \(problem.reason), so the transitions cannot be made by re-encoding only the joins"
                )
            }
        }
        let plan = try choose(clips: clips.map { ($0.info.path, $0.signature, $0.timeline) }, options: options)
        switch plan.mode {
        case .copy:
            let hasAudio = clips[0].signature.audio != nil
            guard let geometry = clips[0].info.video?.geometry else { throw .noVideoStream(path: inputs[0]) }
            return try CopyMerger.run(
                inputs: inputs, timelines: clips.map(\.timeline), geometry: geometry, output: output,
                format: options.format, shouldStop: shouldStop, progress: progress,
                reason: plan.reason, hasAudio: hasAudio, titles: titles)
        case .reencode, .auto:
            return try ReencodeMerger(
                clips: clips.map(\.info), output: output, options: options, titles: titles, shouldStop: shouldStop,
                progress: progress
            )
            .run(reason: plan.reason)
        }
    }

    /// Picks copy or re-encode for the requested mode and says why; throws when copy was forced but is impossible.
    static func choose(
        clips: [(path: String, signature: ClipSignature, timeline: ClipTimeline)],
        options: MergeOptions
    ) throws(MediaError) -> (mode: MergeMode, reason: String) {
        let first = clips[0].signature
        var obstacle =
            options.hasTransitions && clips.count > 1
            ? "transitions need re-encoding" : optionsObstacle(first, options: options)
        var incompatibility: MediaError?
        if obstacle == nil {
            for (index, clip) in clips.enumerated().dropFirst() {
                if let difference = clip.signature.firstDifference(from: first) {
                    incompatibility = .incompatibleClip(
                        index: index, path: clip.path, parameter: difference.parameter,
                        found: difference.found, expected: difference.expected)
                    obstacle =
                        "clip \(index + 1) '\(clip.path)' differs from the first: its \(difference.parameter) is \(difference.found) where the first clip's is \(difference.expected)"
                    break
                }
            }
            if obstacle == nil {
                for (index, clip) in clips.enumerated() {
                    guard let problem = inexactCopy(clip.timeline, index: index, count: clips.count) else { continue }
                    incompatibility = .notCopyable(index: index, path: clip.path, reason: problem)
                    obstacle = "clip \(index + 1) '\(clip.path)' cannot be copied exactly: \(problem)"
                    break
                }
            }
        }
        switch options.mode {
        case .reencode:
            return (.reencode, "re-encoding was requested")
        case .copy:
            if let incompatibility { throw incompatibility }
            if let obstacle {
                throw .invalidOption("Copy mode is impossible: \(obstacle). Use --mode reencode or auto.")
            }
            return (
                .copy, "copy mode was requested and all \(clips.count) clips share codec parameters (\(first.summary))"
            )
        case .auto:
            if let obstacle { return (.reencode, "re-encoding because \(obstacle)") }
            if clips.count == 1 { return (.copy, "a single clip is copied as is (with moov first)") }
            return (
                .copy,
                "copying without re-encoding because all \(clips.count) clips share codec parameters (\(first.summary))"
            )
        }
    }

    /// Why the options (or the container) rule out copying clips like `first`, or nil when they do not.
    static func optionsObstacle(_ first: ClipSignature, options: MergeOptions) -> String? {
        if let size = options.size, size.description != first.video.size {
            return "the requested size \(size) differs from the clips' \(first.video.size)"
        }
        if let fps = options.fps, abs(fps - frameRate(first.video.frameRate)) > 0.001 {
            return "the requested frame rate \(fps) differs from the clips' \(first.video.frameRate)"
        }
        if !fits(first, in: options.format) {
            return
                "\(first.video.codec)\(first.audio.map { "/" + $0.codec } ?? "") cannot be stored in \(options.format.rawValue.uppercased()) as is"
        }
        return nil
    }

    /// Why copying would not place a clip as a player shows it on its own, or nil when it would (within
    /// half a codec frame of audio, which never adds up across joins).
    static func inexactCopy(_ timeline: ClipTimeline, index: Int, count: Int) -> String? {
        // The output's one edit list (at its start) can hide the first clip's leading frames, and nothing later.
        if index > 0, timeline.hiddenFramesBefore > 0 {
            return
                "its edit list hides \(timeline.hiddenFramesBefore) frames before its first shown one (it was cut after a keyframe), and a copy would show them at the join"
        }
        if timeline.hiddenFramesAfter > 0 {
            return
                "its edit list hides \(timeline.hiddenFramesAfter) frames after its last shown one, and a copy would show them at the join"
        }
        guard let audio = timeline.audio, audio.sampleRate > 0 else { return nil }
        let half = Double(max(1, audio.frameSamples)) / Double(audio.sampleRate) / 2
        // A late start at the film's start becomes the output's edit list; a short end of the last clip is silence.
        if index > 0, audio.startOffset > half {
            return String(
                format: "its audio starts %.3f s after its video, and a copy cannot insert the silence",
                audio.startOffset)
        }
        let shortfall = -audio.overrun(videoDuration: timeline.videoDuration)
        if index < count - 1, shortfall > half {
            return String(
                format: "its audio ends %.3f s before its video, and a copy cannot insert the silence", shortfall)
        }
        return nil
    }

    private static func fits(_ signature: ClipSignature, in format: OutputFormat) -> Bool {
        let video: Set<String>
        let audio: Set<String>
        switch format {
        case .mp4:
            video = ["h264", "hevc", "av1", "mpeg4", "vp9"]
            audio = ["aac", "mp3", "opus", "ac3", "alac", "flac"]
        case .webm:
            video = ["vp8", "vp9", "av1"]
            audio = ["opus", "vorbis"]
        }
        return video.contains(signature.video.codec) && (signature.audio.map { audio.contains($0.codec) } ?? true)
    }

    private static func frameRate(_ fraction: String) -> Double {
        let parts = fraction.split(separator: "/").compactMap { Double($0) }
        if parts.count == 2, parts[1] > 0 { return parts[0] / parts[1] }
        return parts.first ?? 0
    }
}

/// A clip as a merge checks it before using it: complete, described, its codec signature and shown span.
struct CheckedClip {
    let info: MediaInfo
    let signature: ClipSignature
    let timeline: ClipTimeline

    init(_ path: String) throws(MediaError) {
        let input = try InputFile(path: path, probing: .whenNeeded)
        try MediaProbe.checkComplete(input)
        signature = try ClipSignature(input)
        info = MediaProbe.describe(input)
        guard let timeline = info.timeline else {
            throw .notMedia(path: path, reason: "its video stream has no frames to show")
        }
        self.timeline = timeline
    }
}
