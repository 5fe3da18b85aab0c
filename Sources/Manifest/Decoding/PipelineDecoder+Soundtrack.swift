import Foundation

/// Decoding of a `soundtrack` stage: its files (inside the project, existing when local), gains and durations.
extension PipelineDecoder {
    /// The range a music `level` may take, in dB.
    static let musicLevels = -60.0...20.0
    /// The range a ducking depth (`duck.by`) may take, in dB.
    static let duckingDepths = 1.0...40.0

    mutating func decodeSoundtrack(_ view: MappingView, path: String) -> Stage.Kind? {
        var music: SoundtrackOptions.Music?
        if view["music"] != nil {
            let file = ownFile(view, "music", path: "\(path).music")
            let fadeIn = seconds(view, "fadeIn", path: path)
            let fadeOut = seconds(view, "fadeOut", path: path)
            let level = decibels(view, "level", path: path, range: Self.musicLevels) ?? 0
            if let file { music = .init(file: file, fadeIn: fadeIn ?? 0, fadeOut: fadeOut ?? 0, level: level) }
        } else {
            for key in ["fadeIn", "fadeOut", "level"] where view[key] != nil {
                diagnostics.warning(
                    "`\(path).\(key)` applies to the music, and no `music` is set; it will be ignored",
                    at: view.keyPosition(key))
            }
        }
        let voice = soundtrackVoice(view, path: path)
        var duck: SoundtrackOptions.Ducking?
        if let duckView = MappingView(view["duck"]) {
            let defaults = SoundtrackOptions.Ducking()
            duck = .init(
                by: decibels(duckView, "by", path: "\(path).duck", range: Self.duckingDepths) ?? defaults.by,
                attack: seconds(duckView, "attack", path: "\(path).duck") ?? defaults.attack,
                release: seconds(duckView, "release", path: "\(path).duck") ?? defaults.release)
            if voice == nil {
                diagnostics.warning(
                    "`\(path).duck` lowers the music under the voice, and no `voice` is set; it will do nothing",
                    at: view.keyPosition("duck"))
            } else if music == nil {
                diagnostics.warning(
                    "`\(path).duck` lowers the music under the voice, and no `music` is set; it will do nothing",
                    at: view.keyPosition("duck"))
            }
        }
        var loudness = SoundtrackOptions.Loudness()
        if let loudnessView = MappingView(view["loudness"]) {
            loudness.target = loudnessView.number("target") ?? loudness.target
            loudness.truePeak = loudnessView.number("truePeak") ?? loudness.truePeak
        }
        let clipAudio = view.text("clipAudio").flatMap(SoundtrackOptions.ClipAudio.init) ?? .keep
        if view["music"] != nil, music == nil { return nil }
        if view["voice"] != nil, voice == nil { return nil }
        return .soundtrack(
            SoundtrackOptions(music: music, voice: voice, clipAudio: clipAudio, duck: duck, loudness: loudness))
    }

    /// `voice`: one file, or lines of `match` and `file`.
    private mutating func soundtrackVoice(_ view: MappingView, path: String) -> SoundtrackOptions.Voice? {
        switch view["voice"] {
        case .scalar?:
            return ownFile(view, "voice", path: "\(path).voice").map { .whole($0) }
        case .sequence(let items, _)?:
            var lines: [SoundtrackOptions.VoiceLine] = []
            var complete = true
            for (index, item) in items.enumerated() {
                guard let line = MappingView(item), let match = line.text("match"),
                    let file = ownFile(line, "file", path: "\(path).voice[\(index)].file")
                else {
                    complete = false
                    continue
                }
                lines.append(.init(match: match, file: file, position: item.position))
            }
            if items.isEmpty {
                diagnostics.warning("`\(path).voice` lists no lines; remove it", at: view.keyPosition("voice"))
            }
            return complete ? .perClip(lines) : nil
        default:
            return nil
        }
    }

    /// A duration key in seconds; nil when absent (a malformed one was reported by the shape check).
    private func seconds(_ view: MappingView, _ key: String, path: String) -> Double? {
        view.text(key).flatMap(DurationText.parse).map(DurationText.seconds)
    }

    /// A gain key in dB, checked against `range`.
    private mutating func decibels(_ view: MappingView, _ key: String, path: String, range: ClosedRange<Double>)
        -> Double?
    {
        guard let scalar = view.scalar(key), let value = Decibels.parse(scalar.value) else { return nil }
        guard range.contains(value) else {
            diagnostics.error(
                "`\(path).\(key)` must be from \(Int(range.lowerBound)) dB to \(Int(range.upperBound)) dB; "
                    + "it is \(scalar.value)", at: scalar.position)
            return nil
        }
        return value
    }
}
