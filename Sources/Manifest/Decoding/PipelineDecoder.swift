/// Turns a checked YAML tree into a `Pipeline`: interpolation, per-model rules, locations and the graph.
struct PipelineDecoder {
    let source: SourceText
    let options: ManifestOptions
    let directory: String
    var diagnostics = Diagnostics()
    var interpolator: Interpolator
    /// Set when an unset environment variable left a value unknown (a warning in validate).
    var incomplete = false

    init(source: SourceText, options: ManifestOptions, directory: String) {
        self.source = source
        self.options = options
        self.directory = directory
        interpolator = Interpolator(source: source, variables: [:], environment: options.environment,
                                    requireEnvironment: options.requireEnvironment, name: "")
    }

    var file: String { source.file }

    mutating func decode(_ root: YAMLNode) -> Pipeline? {
        guard let view = MappingView(root) else {
            diagnostics.error("the manifest must be a mapping with `version`, `name` and `stages`, not \(root.noun)",
                              at: root.position)
            return nil
        }
        var checker = ShapeChecker()
        checker.check(root, against: .object(ManifestShape.root), path: "")
        diagnostics.append(contentsOf: checker.diagnostics.all)

        let name = view.text("name").flatMap { Identifier.isValid($0) ? $0 : nil } ?? "pipeline"
        interpolator = Interpolator(source: source, variables: [:], environment: options.environment,
                                    requireEnvironment: options.requireEnvironment, name: name)
        decodeVariables(view)
        let session = decodeSession(view, name: name)
        interpolator.session = session
        let s3 = decodeS3(MappingView(view["s3"]))
        let providers = decodeProviders(MappingView(view["providers"]))
        let state = location(in: view, "state", path: "state", shape: .folder) ?? Location.local(path: ".runner/state/")
        let budget = Budget(maxCredits: MappingView(view["budget"])?.number("maxCredits"))
        let (stages, nodes) = decodeStages(MappingView(view["stages"]), providers: providers, session: session)

        var graph = GraphValidator(stages: nodes, providers: providers, stagesPosition: view.keyPosition("stages"))
        graph.validate()
        diagnostics.append(contentsOf: graph.diagnostics.all)
        checkSecretVariablesStayHidden()
        diagnostics.append(contentsOf: interpolator.diagnostics.all)

        guard !diagnostics.hasErrors, !incomplete else { return nil }
        return Pipeline(version: view.integer("version") ?? 1, name: name, session: session,
                        vars: interpolator.variables.mapValues(\.value), s3: s3, providers: providers,
                        state: state.resolved(against: directory), budget: budget, stages: stages,
                        manifestPath: file, directory: directory)
    }

    // MARK: - Top-level sections

    private mutating func decodeVariables(_ view: MappingView) {
        var variables: [String: (value: String, origin: Interpolator.VariableOrigin)] = [:]
        if let vars = MappingView(view["vars"]) {
            for entry in vars.entries {
                guard case let .scalar(scalar) = entry.value, scalar.kind != .null,
                      let resolved = resolveText(scalar, path: "vars.\(entry.key.value)", allowed: [.environment, .name])
                else { continue }
                variables[entry.key.value] = (resolved, .manifest)
            }
        }
        for (key, value) in options.variables {
            guard variables[key] != nil else {
                let hint = Suggestion.closest(to: key, among: variables.keys).map { "; did you mean `\($0)`?" }
                    ?? (variables.isEmpty ? "; declare it under `vars:` first" : "; declared: \(variables.keys.sorted().joined(separator: ", "))")
                diagnostics.error("--var \(key)=...: the manifest declares no variable `\(key)`\(hint)",
                                  at: view["vars"] == nil ? SourcePosition(file: file, line: 1, column: 1) : view.keyPosition("vars"))
                continue
            }
            variables[key] = (value, .commandLine)
        }
        interpolator.variables = variables
    }

    private mutating func decodeSession(_ view: MappingView, name: String) -> String {
        guard let scalar = view.scalar("session") else { return name }
        guard let value = resolveText(scalar, path: "session", allowed: [.variables, .environment, .name]) else { return name }
        if !Identifier.isValid(value) {
            diagnostics.error("`session` is \"\(YAMLNode.abbreviated(value))\" once interpolated, which is not a valid name: "
                + "use letters, digits, `_`, `.` and `-`, starting with a letter or digit", at: scalar.position)
            return name
        }
        return value
    }

    private mutating func decodeS3(_ view: MappingView?) -> S3Settings {
        guard let view else { return S3Settings() }
        return S3Settings(
            region: view.scalar("region").flatMap { resolveText($0, path: "s3.region") },
            endpoint: view.scalar("endpoint").flatMap { url($0, path: "s3.endpoint") },
            pathStyle: view.boolean("pathStyle"),
            profile: view.scalar("profile").flatMap { resolveText($0, path: "s3.profile") }
        )
    }

    private mutating func decodeProviders(_ view: MappingView?) -> [Provider] {
        guard let view else { return [] }
        var providers: [Provider] = []
        for entry in view.entries {
            guard let provider = MappingView(entry.value), let type = provider.text("type").flatMap(ProviderType.init)
            else { continue }
            let path = "providers.\(entry.key.value)"
            let settings: Provider.Settings
            switch type {
            case .runway:
                settings = .runway(RunwaySettings(
                    apiKey: secret(in: provider, "apiKey", path: path) ?? Secret(""),
                    apiKeySource: provider.text("apiKey").map { Template(parsing: $0).hasReferences ? $0 : "the manifest" } ?? "",
                    baseURL: provider.scalar("baseURL").flatMap { url($0, path: "\(path).baseURL") },
                    concurrency: provider.integer("concurrency") ?? 1,
                    pollInterval: provider.text("pollInterval").flatMap(DurationText.parse) ?? .seconds(6),
                    timeout: provider.text("timeout").flatMap(DurationText.parse) ?? .seconds(1800)))
            case .kenburns:
                settings = .kenburns(KenBurnsSettings(concurrency: provider.integer("concurrency") ?? 2,
                                                      fps: provider.integer("fps") ?? 24))
            }
            providers.append(Provider(name: entry.key.value, settings: settings, position: entry.key.position))
        }
        return providers
    }

    // MARK: - Values

    /// Resolves interpolated text; nil after a problem, or when an unset variable leaves it unknown.
    mutating func resolveText(_ scalar: YAMLScalar, path: String, allowed: Interpolator.Allowed = .all) -> String? {
        guard let resolved = interpolator.resolve(scalar, path: path, allowed: allowed) else { return nil }
        guard resolved.complete else {
            incomplete = true
            return nil
        }
        return resolved.value
    }

    /// An http(s) URL, after interpolation.
    mutating func url(_ scalar: YAMLScalar, path: String) -> String? {
        guard let value = resolveText(scalar, path: path) else { return nil }
        guard value.hasPrefix("https://") || value.hasPrefix("http://"), value.count > "http://".count else {
            diagnostics.error("`\(path)` must be an http:// or https:// URL; it is \"\(YAMLNode.abbreviated(value))\"", at: scalar.position)
            return nil
        }
        return value
    }

    /// A secret: resolved, never echoed; a literal value gets a warning.
    mutating func secret(in view: MappingView, _ key: String, path: String) -> Secret? {
        guard let scalar = view.scalar(key) else { return nil }
        let template = Template(parsing: scalar.value)
        if !template.hasReferences {
            diagnostics.warning("`\(path).\(key)` is written into the manifest, where anyone who reads the file can use it; "
                + "write ${env:NAME} and set the variable instead", at: scalar.position)
        }
        guard let resolved = interpolator.resolve(scalar, path: "\(path).\(key)", secret: true) else { return nil }
        guard resolved.complete else {
            incomplete = true
            return nil
        }
        if resolved.value.isEmpty {
            diagnostics.error("`\(path).\(key)` is empty once interpolated; set the variable it names", at: scalar.position)
        }
        return Secret(resolved.value)
    }

    /// What a location must name.
    enum LocationShape {
        case folder, file, either
    }

    /// A location: interpolated with path safety, parsed, checked for folder or file, resolved against the manifest's folder.
    mutating func location(in view: MappingView, _ key: String, path: String, shape: LocationShape) -> Location? {
        guard let scalar = view.scalar(key) else { return nil }
        guard let resolved = interpolator.resolve(scalar, path: path, pathSafe: true) else { return nil }
        guard resolved.complete else {
            incomplete = true
            return nil
        }
        let parsed: Location
        do {
            parsed = try Location(parsing: resolved.value)
        } catch {
            diagnostics.error("`\(path)`: \(error)", at: scalar.position)
            return nil
        }
        switch shape {
        case .folder where !parsed.isPrefix:
            diagnostics.error("`\(path)` names a folder, so it ends with `/`: write \"\(resolved.value)/\"", at: scalar.position)
            return nil
        case .file where parsed.isPrefix:
            diagnostics.error("`\(path)` names a file, not a folder: write a file name after the last `/`", at: scalar.position)
            return nil
        default:
            return parsed.resolved(against: directory)
        }
    }

    /// Environment variables that feed secrets must not also feed fields that get printed.
    private mutating func checkSecretVariablesStayHidden() {
        for use in interpolator.plainEnvironmentUses where interpolator.secretEnvironmentNames.contains(use.name) {
            diagnostics.error("${env:\(use.name)} holds a secret (it feeds an API key or webhook secret), "
                + "so it cannot be used in `\(use.path)`, which is printed and recorded", at: use.at)
        }
    }
}
