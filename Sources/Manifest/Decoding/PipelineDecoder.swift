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
        interpolator = Interpolator(
            source: source, environment: options.environment,
            requireEnvironment: options.requireEnvironment, secrets: options.secrets, name: "")
    }

    var file: String { source.file }

    mutating func decode(_ root: YAMLNode) -> Pipeline? {
        guard let view = MappingView(root) else {
            diagnostics.error(
                "the manifest must be a mapping with `version`, `name` and `stages`, not \(root.noun)",
                at: root.position)
            return nil
        }
        var checker = ShapeChecker()
        checker.check(root, against: .object(ManifestShape.root), path: "")
        diagnostics.append(contentsOf: checker.diagnostics.all)

        let name = view.text("name").flatMap { Identifier.isValid($0) ? $0 : nil } ?? "pipeline"
        interpolator = Interpolator(
            source: source, environment: options.environment,
            requireEnvironment: options.requireEnvironment, secrets: options.secrets, name: name)
        decodeVariables(view)
        let sessionValue = decodeSession(view, name: name)
        interpolator.session = sessionValue
        let session = sessionValue.value ?? name
        let s3 = decodeS3(MappingView(view["s3"]))
        let providers = decodeProviders(MappingView(view["providers"]))
        let state = location(in: view, "state", path: "state", shape: .folder) ?? Location.local(path: ".runner/state/")
        let budget = Budget(maxCredits: MappingView(view["budget"])?.number("maxCredits"))
        let (stages, nodes) = decodeStages(MappingView(view["stages"]), providers: providers, session: session)

        var graph = GraphValidator(stages: nodes, providers: providers, stagesPosition: view.keyPosition("stages"))
        graph.validate()
        diagnostics.append(contentsOf: graph.diagnostics.all)
        diagnostics.append(
            contentsOf: SecretFlow.check(
                interpolator.plainUses, secrets: options.secrets,
                secretFieldNames: interpolator.secretEnvironmentNames))
        diagnostics.append(contentsOf: interpolator.diagnostics.all)

        guard !diagnostics.hasErrors, !incomplete else { return nil }
        // A variable that carries a secret (on its way to an `apiKey`) is not handed on as plain text.
        let plainVariables = interpolator.variables.filter { !holdsSecret($0.value.taint) }.compactMapValues(\.value)
        var pipeline = Pipeline(
            version: view.integer("version") ?? 1, name: name, session: session,
            vars: plainVariables, s3: s3, providers: providers,
            state: state.resolved(against: directory), budget: budget, stages: stages,
            manifestPath: file, directory: directory)
        pipeline.interpolatedValues = interpolatedValues()
        return pipeline
    }

    /// The variables (after `--var`) and the environment variables read, sorted by reference; a secret's value is
    /// left out (a variable that carries one, an environment variable that is secret, feeds a secret field or holds a
    /// secret's value).
    private func interpolatedValues() -> [InterpolatedValue] {
        let secretNames = { (name: String) in
            options.secrets.isSecret(name: name) || interpolator.secretEnvironmentNames.contains(name)
        }
        // The values of the secrets this manifest reads, those that only feed an `apiKey` too: a copy of one under
        // another name (`${env:COPY}`) is a secret as well.
        let secretValues = interpolator.environmentReads.filter { secretNames($0.key) && !$0.value.isEmpty }.map(
            \.value)
        let holdsSecretValue = { (value: String) in
            options.secrets.occurs(in: value) || secretValues.contains { value.contains($0) }
        }
        var values: [InterpolatedValue] = []
        for (name, known) in interpolator.variables {
            guard let value = known.value else { continue }
            let secret = holdsSecret(known.taint) || holdsSecretValue(value)
            values.append(.init(reference: "vars." + name, value: secret ? nil : value))
        }
        for (name, value) in interpolator.environmentReads {
            values.append(
                .init(reference: "env:" + name, value: secretNames(name) || holdsSecretValue(value) ? nil : value))
        }
        return values.sorted { $0.reference < $1.reference }
    }

    // MARK: - Top-level sections

    private mutating func decodeVariables(_ view: MappingView) {
        var variables: [String: Interpolator.Known] = [:]
        if let vars = MappingView(view["vars"]) {
            for entry in vars.entries {
                // A variable left unknown by an unset environment variable stays declared, its value unknown.
                guard case .scalar(let scalar) = entry.value, scalar.kind != .null,
                    let resolved = interpolator.resolve(
                        scalar, path: "vars.\(entry.key.value)", allowed: [.environment, .name],
                        destination: .definition)
                else { continue }
                variables[entry.key.value] = Interpolator.Known(
                    value: resolved.complete ? resolved.value : nil, origin: .manifest,
                    shown: resolved.isShowable ? resolved.value : nil,
                    taint: resolved.taint)
            }
        }
        for (key, value) in options.variables {
            guard variables[key] != nil else {
                let hint =
                    Suggestion.closest(to: key, among: variables.keys).map { "; did you mean `\($0)`?" }
                    ?? (variables.isEmpty
                        ? "; declare it under `vars:` first"
                        : "; declared: \(variables.keys.sorted().joined(separator: ", "))")
                diagnostics.error(
                    "--var \(key)=...: the manifest declares no variable `\(key)`\(hint)",
                    at: view["vars"] == nil ? SourcePosition(file: file, line: 1, column: 1) : view.keyPosition("vars"))
                continue
            }
            // The command line is trusted, but a value given there may be a secret's (`--var key=$TOKEN`).
            let taint = options.secrets.occurs(in: value) ? Taint(secretValues: ["--var \(key)"]) : Taint()
            variables[key] = Interpolator.Known(value: value, origin: .commandLine, shown: nil, taint: taint)
        }
        interpolator.variables = variables
    }

    private mutating func decodeSession(_ view: MappingView, name: String) -> Interpolator.Known {
        let fallback = Interpolator.Known(value: name, origin: .manifest, shown: name, taint: Taint())
        guard let scalar = view.scalar("session") else { return fallback }
        guard let resolved = resolveComplete(scalar, path: "session", allowed: [.variables, .environment, .name])
        else { return fallback }
        if !Identifier.isValid(resolved.value) {
            diagnostics.error(
                "`session` is \"\(YAMLNode.abbreviated(resolved.display))\" once interpolated, which is not a valid name: "
                    + "use letters, digits, `_`, `.` and `-`, starting with a letter or digit", at: scalar.position)
            return fallback
        }
        return Interpolator.Known(
            value: resolved.value, origin: .manifest,
            shown: resolved.isShowable ? resolved.value : nil, taint: resolved.taint)
    }

    private mutating func decodeS3(_ view: MappingView?) -> S3Settings {
        guard let view else { return S3Settings() }
        return S3Settings(
            region: view.scalar("region").flatMap { resolveText($0, path: "s3.region") },
            endpoint: view.scalar("endpoint").flatMap {
                url($0, path: "s3.endpoint", role: .credentialed("AWS credentials"))
            },
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
                settings = .runway(
                    RunwaySettings(
                        apiKey: secret(in: provider, "apiKey", path: path) ?? Secret(""),
                        apiKeySource: provider.text("apiKey").map {
                            Template(parsing: $0).hasReferences ? InertText.escaped($0) : "the manifest"
                        } ?? "",
                        baseURL: provider.scalar("baseURL").flatMap {
                            url($0, path: "\(path).baseURL", role: .credentialed("the Runway API key"))
                        },
                        concurrency: provider.integer("concurrency") ?? 1,
                        pollInterval: provider.text("pollInterval").flatMap(DurationText.parse) ?? .seconds(6),
                        timeout: provider.text("timeout").flatMap(DurationText.parse) ?? .seconds(1800),
                        concurrencyIsSet: provider["concurrency"] != nil))
            case .kenburns:
                settings = .kenburns(
                    KenBurnsSettings(
                        concurrency: provider.integer("concurrency") ?? 2,
                        fps: provider.integer("fps") ?? 24))
            }
            providers.append(Provider(name: entry.key.value, settings: settings, position: entry.key.position))
        }
        return providers
    }

    // MARK: - Values

    /// Resolves interpolated text; nil after a problem, or when an unset variable leaves it unknown.
    mutating func resolveText(_ scalar: YAMLScalar, path: String, allowed: Interpolator.Allowed = .all) -> String? {
        resolveComplete(scalar, path: path, allowed: allowed)?.value
    }

    /// Resolves interpolated text with its display form; nil after a problem, or when an unset variable leaves it unknown.
    mutating func resolveComplete(
        _ scalar: YAMLScalar, path: String, allowed: Interpolator.Allowed = .all,
        pathSafe: Bool = false, destination: Interpolator.Destination = .plain
    ) -> Interpolator.Resolved? {
        guard
            let resolved = interpolator.resolve(
                scalar, path: path, allowed: allowed, pathSafe: pathSafe,
                destination: destination)
        else { return nil }
        guard resolved.complete else {
            incomplete = true
            return nil
        }
        return resolved
    }

    /// Whether a value's taint makes it a secret (see `SecretFlow`).
    func holdsSecret(_ taint: Taint) -> Bool {
        !taint.secretValues.isEmpty
            || taint.environmentNames.contains {
                options.secrets.isSecret(name: $0) || interpolator.secretEnvironmentNames.contains($0)
            }
    }

    /// A secret: resolved, never echoed; a literal value gets a warning.
    mutating func secret(in view: MappingView, _ key: String, path: String) -> Secret? {
        guard let scalar = view.scalar(key) else { return nil }
        let template = Template(parsing: scalar.value)
        if !template.hasReferences {
            diagnostics.warning(
                "`\(path).\(key)` is written into the manifest, where anyone who reads the file can use it; "
                    + "write ${env:NAME} and set the variable instead", at: scalar.position)
        }
        guard let resolved = interpolator.resolve(scalar, path: "\(path).\(key)", destination: .secret) else {
            return nil
        }
        // An unset secret leaves the pipeline usable where no secret is sent (plan, status: the warning says it is
        // needed when the pipeline runs); apply reads with `requireEnvironment`, where it is an error.
        guard resolved.complete else { return Secret("") }
        if resolved.value.isEmpty {
            diagnostics.error(
                "`\(path).\(key)` is empty once interpolated; set the variable it names", at: scalar.position)
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
        guard let resolved = resolveComplete(scalar, path: path, pathSafe: true) else { return nil }
        let parsed: Location
        do {
            parsed = try Location(parsing: resolved.value)
        } catch {
            // The error quotes the text it could not read, which may hold a value from the environment.
            let reason = resolved.isShowable ? error.description : error.reasonOnly(displaying: resolved.display)
            diagnostics.error("`\(path)`: \(reason)", at: scalar.position)
            return nil
        }
        switch shape {
        case .folder where !parsed.isPrefix:
            diagnostics.error(
                "`\(path)` names a folder, so it ends with `/`: write \"\(YAMLNode.abbreviated(resolved.display, limit: 200))/\"",
                at: scalar.position)
            return nil
        case .file where parsed.isPrefix:
            diagnostics.error(
                "`\(path)` names a file, not a folder: write a file name after the last `/`", at: scalar.position)
            return nil
        default:
            return parsed.resolved(against: directory)
        }
    }
}
