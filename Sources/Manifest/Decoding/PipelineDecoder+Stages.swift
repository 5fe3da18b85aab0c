/// Decoding of the `stages` section: each stage's options and its per-model rules.
extension PipelineDecoder {
    /// Runway's limit on `promptText`, in UTF-16 code units.
    static let maximumPromptLength = 1000

    mutating func decodeStages(_ view: MappingView?, providers: [Provider], session: String)
        -> (stages: [Stage], nodes: [GraphValidator.Node])
    {
        guard let view else { return ([], []) }
        var stages: [Stage] = []
        var nodes: [GraphValidator.Node] = []
        // A publish stage given a folder names its file after the session and the merged format, which a film stage
        // between them keeps.
        var formats: [String: VideoFormat] = [:]
        var filmInputs: [String: String] = [:]
        for entry in view.entries {
            guard let stage = MappingView(entry.value) else { continue }
            if let format = stage.text("format").flatMap(VideoFormat.init) { formats[entry.key.value] = format }
            if let type = stage.text("type").flatMap(StageType.init), StageType.filmStages.contains(type),
                let need = stage.names("needs").first
            {
                filmInputs[entry.key.value] = need.value
            }
        }
        for name in filmInputs.keys {
            var seen: Set<String> = [name]
            var current = name
            while formats[current] == nil, let next = filmInputs[current], seen.insert(next).inserted { current = next }
            if let format = formats[current] { formats[name] = format }
        }
        for entry in view.entries {
            guard let stage = MappingView(entry.value) else { continue }
            let type = stage.text("type").flatMap(StageType.init)
            let name = entry.key.value
            let path = "stages.\(name)"
            nodes.append(
                GraphValidator.Node(
                    name: name, type: type, needs: stage.names("needs"),
                    provider: type == .generate ? stage.text("provider") : nil,
                    position: entry.key.position))
            guard let type else { continue }
            let kind: Stage.Kind?
            switch type {
            case .frames: kind = decodeFrames(stage, path: path)
            case .generate:
                kind = withBackground(decodeGenerate(stage, path: path, providers: providers), stage, path: path)
            case .merge: kind = decodeMerge(stage, path: path)
            case .publish:
                let format = stage.names("needs").first.flatMap { formats[$0.value] } ?? .mp4
                kind = decodePublish(stage, path: path, fileName: "\(session).\(format.rawValue)")
            case .soundtrack: kind = decodeSoundtrack(stage, path: path)
            case .captions: kind = decodeCaptions(stage, path: path)
            }
            guard let kind else { continue }
            stages.append(
                Stage(
                    name: name, needs: stage.names("needs").map(\.value), kind: kind,
                    position: entry.key.position))
        }
        return (stages, nodes)
    }

    private mutating func decodeFrames(_ view: MappingView, path: String) -> Stage.Kind? {
        let from = location(in: view, "from", path: "\(path).from", shape: .folder)
        let include = view.names("include").map(\.value)
        let order = view.text("order").flatMap(FrameOrder.init) ?? .natural
        for pattern in view.names("include") where !Self.canMatchAnImage(pattern.value) {
            diagnostics.warning(
                "`\(path).include`: \"\(pattern.value)\" can never match an image the runner reads ("
                    + FramesOptions.imageExtensions.sorted().map { "*.\($0)" }.joined(separator: ", ")
                    + "); no frame will come from it",
                at: pattern.position)
        }
        guard let from else { return nil }
        return .frames(
            FramesOptions(from: from, include: include.isEmpty ? FramesOptions.defaultInclude : include, order: order))
    }

    private mutating func decodeGenerate(_ view: MappingView, path: String, providers: [Provider]) -> Stage.Kind? {
        let to = location(in: view, "to", path: "\(path).to", shape: .folder)
        let model = generationModel(view, path: path, providers: providers)
        let ratio = checkedRatio(view, path: path, model: model)
        let duration = checkedDuration(view.scalar("duration"), path: "\(path).duration", model: model)
        let prompt = view.scalar("prompt").flatMap { checkedPrompt($0, path: "\(path).prompt") }
        if let model, model.requiresPrompt, view.scalar("prompt") == nil {
            diagnostics.error("`\(path)` uses \(model.name), which needs a `prompt`", at: view.position)
        }
        let audio = checkedAudio(view, path: path, model: model)
        let chain = checkedChain(view, path: path, model: model)
        let clipName = checkedClipName(view, path: path)
        var overrides: [Override] = []
        if case .sequence(let items, _)? = view["overrides"] {
            for (index, item) in items.enumerated() {
                guard let override = MappingView(item), let match = override.text("match") else { continue }
                let itemPath = "\(path).overrides[\(index)]"
                overrides.append(
                    Override(
                        match: match,
                        prompt: override.scalar("prompt").flatMap { checkedPrompt($0, path: "\(itemPath).prompt") },
                        seed: override.integer("seed").flatMap(UInt32.init(exactly:)),
                        duration: override.scalar("duration").flatMap {
                            checkedDuration($0, path: "\(itemPath).duration", model: model)
                        },
                        position: item.position))
            }
        }
        guard let to, let model, let ratio else { return nil }
        var options = GenerateOptions(
            provider: view.text("provider") ?? "", model: model.name, ratio: ratio,
            duration: duration ?? model.defaultDuration, prompt: prompt,
            seed: view.integer("seed").flatMap(UInt32.init(exactly:)), concurrency: view.integer("concurrency"),
            retries: view.integer("retries") ?? 2,
            onFailure: view.text("onFailure").flatMap(FailurePolicy.init) ?? .fail, to: to, overrides: overrides,
            audio: audio)
        options.chain = chain
        options.clipName = clipName
        return .generate(options)
    }

    /// `clipName`: a file name pattern with {frame} (and {key}) that ends in .mp4 (`ClipName`).
    private mutating func checkedClipName(_ view: MappingView, path: String) -> ClipName {
        // `${...}` is filled first (a secret is refused there); what it gives is checked as written text is.
        guard let scalar = view.scalar("clipName"), let text = resolveText(scalar, path: "\(path).clipName") else {
            return .standard
        }
        switch ClipName.parse(text) {
        case .success(var name):
            name.position = scalar.position
            return name
        case .failure(let problem):
            diagnostics.error("`\(path).clipName` \(problem)", at: scalar.position)
            return .standard
        }
    }

    /// `chain`: for the models the catalog says take a `last` keyframe (issue #18); refused elsewhere, naming them.
    /// A value that is neither a boolean nor `loop` was reported by the shape check.
    private mutating func checkedChain(_ view: MappingView, path: String, model: ModelSpec?) -> KeyframeChain {
        guard let scalar = view.scalar("chain") else { return .off }
        let chain: KeyframeChain
        switch scalar.kind {
        case .boolean(let on): chain = on ? .open : .off
        default: chain = scalar.value == KeyframeChain.loop.rawValue ? .loop : .off
        }
        if chain != .off, let model, !model.acceptsLastKeyframe {
            diagnostics.error(
                "`\(path).chain`: \(model.name) cannot end a clip on a given frame (a `last` keyframe), so its clips "
                    + "cannot be chained; the models that can are "
                    + ModelCatalog.modelNames(accepting: .lastKeyframe).joined(separator: ", ")
                    + "; choose one of them or remove `chain`",
                at: scalar.position)
        }
        return chain
    }

    /// `audio`: an option of the models the catalog says take it (it changes the price); refused elsewhere.
    private mutating func checkedAudio(_ view: MappingView, path: String, model: ModelSpec?) -> Bool {
        guard let audio = view.boolean("audio") else { return false }
        if let model, !model.acceptsAudio, audio {
            diagnostics.error(
                "`\(path).audio`: \(model.name) makes no audio; `audio` is an option of "
                    + ModelCatalog.modelNames(accepting: .audio).joined(separator: ", ")
                    + "; remove it or choose one of those models",
                at: view.scalar("audio")?.position ?? view.position)
        }
        return audio
    }

    /// The model a generate stage uses, checked against its provider's catalog.
    private mutating func generationModel(_ view: MappingView, path: String, providers: [Provider]) -> ModelSpec? {
        guard let providerName = view.scalar("provider") else { return nil }
        guard let provider = providers.first(where: { $0.name == providerName.value }) else {
            let names = providers.map(\.name)
            let hint =
                Suggestion.closest(to: providerName.value, among: names).map { "; did you mean `\($0)`?" }
                ?? (names.isEmpty
                    ? "; declare it under `providers:`, e.g. `draft: { type: kenburns }`"
                    : "; declared: \(names.joined(separator: ", "))")
            diagnostics.error(
                "`\(path).provider` names `\(providerName.value)`, which is not a declared provider\(hint)",
                at: providerName.position)
            return nil
        }
        guard let modelScalar = view.scalar("model") else { return ModelCatalog.defaultModel(for: provider.type) }
        guard let resolved = resolveComplete(modelScalar, path: "\(path).model") else { return nil }
        let name = resolved.value
        if let model = ModelCatalog.model(named: name, for: provider.type) { return model }
        let names = ModelCatalog.modelNames(for: provider.type)
        if let retired = ModelCatalog.retired[name] {
            diagnostics.error("`\(path).model`: \(retired)", at: modelScalar.position)
        } else {
            diagnostics.error(
                "`\(path).model` is \"\(YAMLNode.abbreviated(resolved.display))\", which provider `\(provider.name)` (\(provider.type.rawValue)) does not offer; "
                    + "its models are \(names.joined(separator: ", "))" + Suggestion.phrase(for: name, among: names),
                at: modelScalar.position)
        }
        return nil
    }

    private mutating func checkedRatio(_ view: MappingView, path: String, model: ModelSpec?) -> Ratio? {
        let scalar = view.scalar("ratio")
        guard let ratio = scalar.map({ Ratio($0.value) }) ?? Ratio(width: 1280, height: 720) else { return nil }
        guard let model else { return ratio }
        if model.ratios.accepts(ratio) { return ratio }
        let at = scalar?.position ?? view.position
        if let retiredModel = ModelCatalog.retiredRatios[ratio] {
            diagnostics.error(
                "`\(path).ratio` \(ratio) belonged to \(retiredModel), which Runway no longer offers; "
                    + "\(model.name) takes \(model.ratios.summary)", at: at)
        } else {
            diagnostics.error(
                "`\(path).ratio` \(ratio) is not a ratio of \(model.name); it takes \(model.ratios.summary)", at: at)
        }
        return nil
    }

    private mutating func checkedDuration(_ scalar: YAMLScalar?, path: String, model: ModelSpec?) -> Int? {
        guard let scalar, case .integer(let seconds) = scalar.kind else { return nil }
        if let model, !model.durations.accepts(seconds) {
            diagnostics.error(
                "`\(path)` is \(seconds) s, which \(model.name) does not make; it takes \(model.durations.summary) seconds",
                at: scalar.position)
            return nil
        }
        return seconds
    }

    private mutating func checkedPrompt(_ scalar: YAMLScalar, path: String) -> String? {
        guard let prompt = resolveText(scalar, path: path) else { return nil }
        let length = prompt.utf16.count
        if length > PipelineDecoder.maximumPromptLength {
            diagnostics.error(
                "`\(path)` is \(length) UTF-16 code units long; prompts may have at most "
                    + "\(PipelineDecoder.maximumPromptLength) (Runway's limit)", at: scalar.position)
            return nil
        }
        if prompt.allSatisfy(\.isWhitespace) {
            diagnostics.error(
                "`\(path)` is empty once interpolated; write a prompt or remove the key", at: scalar.position)
            return nil
        }
        return prompt
    }

    private mutating func decodeMerge(_ view: MappingView, path: String) -> Stage.Kind? {
        let mode = view.text("mode").flatMap(MergeMode.init) ?? .auto
        let format = view.text("format").flatMap(VideoFormat.init) ?? .mp4
        let transition = MappingView(view["transition"]).flatMap(Self.transition)
        var transitions: [JoinTransition] = []
        if case .sequence(let items, _)? = view["transitions"] {
            for item in items {
                guard let itemView = MappingView(item), let after = itemView.text("after"),
                    let made = Self.transition(itemView)
                else { continue }
                transitions.append(JoinTransition(after: after, transition: made, position: item.position))
            }
        }
        if mode == .copy {
            if format == .webm {
                diagnostics.error(
                    "`\(path).format` webm re-encodes (VP9), so it cannot be merged in copy mode; "
                        + "use mode auto or reencode, or format mp4",
                    at: view.scalar("format")?.position ?? view.position)
            }
            for key in ["transition", "transitions"] where view[key] != nil {
                diagnostics.error(
                    "`\(path).\(key)` re-encodes the joins, so it cannot be used in copy mode; use mode auto or reencode",
                    at: view.keyPosition(key))
            }
            for key in ["fps", "size", "quality"] where view[key] != nil {
                diagnostics.warning(
                    "`\(path).\(key)` applies only when re-encoding; copy mode ignores it", at: view.keyPosition(key))
            }
        }
        return .merge(
            MergeOptions(
                mode: mode, format: format, fps: view.number("fps"), quality: view.number("quality") ?? 0.8,
                size: view.text("size").flatMap(VideoSize.init), transition: transition, transitions: transitions))
    }

    /// A transition's `type` and `duration` (seconds, or a duration such as `500ms`), or nil when either is missing
    /// or wrong (the shape check reports it).
    private static func transition(_ view: MappingView) -> Transition? {
        guard let kind = view.text("type").flatMap(Transition.Kind.init),
            let seconds = view.text("duration").flatMap(DurationText.seconds)
        else { return nil }
        return Transition(kind: kind, duration: seconds)
    }

    private mutating func decodePublish(_ view: MappingView, path: String, fileName: String) -> Stage.Kind? {
        var to = location(in: view, "to", path: "\(path).to", shape: .either)
        let record = location(in: view, "record", path: "\(path).record", shape: .file)
        var presign: Duration?
        if let scalar = view.scalar("presign"), let duration = DurationText.parse(scalar.value) {
            if duration > .seconds(604_800) || duration <= .zero {
                diagnostics.error(
                    "`\(path).presign` must be more than 0 and at most 7d (S3's limit for a presigned link); it is \(scalar.value)",
                    at: scalar.position)
            } else {
                presign = duration
            }
            if let to, !to.isS3 {
                diagnostics.warning(
                    "`\(path).presign` makes a link to an S3 object, but `to` is a local path; it will be ignored",
                    at: scalar.position)
            }
        }
        let webhook = view.scalar("webhook").flatMap { url($0, path: "\(path).webhook", role: .destination) }
        let webhookSecret = secret(in: view, "webhookSecret", path: path)
        if webhookSecret != nil, view["webhook"] == nil {
            diagnostics.warning(
                "`\(path).webhookSecret` signs webhooks, but no `webhook` is set", at: view.keyPosition("webhookSecret")
            )
        }
        if let folder = to, folder.isPrefix { to = folder.appending(fileName) }
        guard let to else { return nil }
        return .publish(
            PublishOptions(to: to, presign: presign, record: record, webhook: webhook, webhookSecret: webhookSecret))
    }
}

/// Frames as people have them (issue #14): a generate stage's `background`, and `include` patterns no image can match.
extension PipelineDecoder {
    /// A generate stage with its `background` (issue #14).
    private mutating func withBackground(_ kind: Stage.Kind?, _ view: MappingView, path: String) -> Stage.Kind? {
        let background = checkedBackground(view, path: path)
        guard case .generate(var options)? = kind else { return kind }
        options.background = background
        return .generate(options)
    }

    /// `background`: `#rrggbb`, `rrggbb`, `black` or `white`, kept as `#rrggbb`.
    private mutating func checkedBackground(_ view: MappingView, path: String) -> String {
        guard let scalar = view.scalar("background") else { return GenerateOptions.defaultBackground }
        let text = scalar.value.lowercased()
        if text == "black" { return "#000000" }
        if text == "white" { return "#ffffff" }
        let hex = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
            diagnostics.error(
                "`\(path).background` must be a colour such as \"#000000\", \"#ffffff\", black or white, not "
                    + "\"\(InertText.escaped(scalar.value))\"", at: scalar.position)
            return GenerateOptions.defaultBackground
        }
        return "#" + hex
    }

    /// Whether a glob can match a name with an image extension: it can unless it ends in a literal extension
    /// (no wildcard after its last dot) that is not an image type's.
    static func canMatchAnImage(_ pattern: String) -> Bool {
        guard let dot = pattern.lastIndex(of: ".") else { return true }
        let tail = pattern[pattern.index(after: dot)...]
        if tail.contains(where: { "*?[]/".contains($0) }) { return true }
        return FramesOptions.imageExtensions.contains(tail.lowercased())
    }
}
