import Foundation
import Manifest

/// The manifest `runner serve` runs for each request, with `vars.user`, `vars.session` (and `vars.prompt` when
/// declared) filled from the request, and the generate stages' `ratio` and `concurrency` set from it (the manifest
/// writes those literally, so they are set on the loaded pipeline, and checked as validation checks them).
///
/// Checked once at start: it must declare `user` and `session`, and every frames `from`, generate `to` and publish
/// `to` must hold the user id as a path segment, so a user reaches only their own prefix.
public struct ServeTemplate: Sendable {
    public let path: String
    let environment: [String: String]
    /// The variables the template declares.
    public let declared: Set<String>
    /// The pipeline as loaded for a probe user, for settings that do not depend on the user (S3 settings, stages).
    public let probe: Pipeline

    /// Loads and checks the template at `path`.
    public init(path: String, environment: [String: String]) throws(ServeError) {
        self.path = path
        self.environment = environment
        let result = ManifestLoader.load(path: path, options: ManifestOptions(environment: environment))
        guard let pipeline = result.pipeline, !result.hasErrors else {
            let errors = result.diagnostics.filter { $0.severity == .error }.map { "\($0.position): \($0.message)" }
            throw .template("the template \(path) is not valid: " + errors.joined(separator: "; "))
        }
        declared = Set(pipeline.vars.keys)
        for name in ["user", "session"] where !declared.contains(name) {
            throw .template(
                "the template \(path) declares no variable `\(name)`; add it under `vars:` and use it "
                    + (name == "user"
                        ? "in the frames `from`, the generate `to` and the publish `to` (s3://BUCKET/reference-frames/${vars.user}/)"
                        : "as the session (`session: ${vars.session}`)"))
        }
        probe = pipeline
        let first = try Self.load(path: path, environment: environment, variables: [("user", "probe-user-a")])
        try Self.checkUserBound(first, user: "probe-user-a", path: path)
    }

    /// Every frames, generate and publish location holds the user id as a path segment.
    static func checkUserBound(_ pipeline: Pipeline, user: String, path: String) throws(ServeError) {
        for stage in pipeline.stages {
            guard let found = folderOf(stage) else { continue }
            let (location, key) = found
            // Folders: any segment; a published file: a folder above it (a file name alone shares the folder).
            var segments = location.description.split(separator: "/").map(String.init)
            if case .publish = stage.kind, !location.description.hasSuffix("/") { segments.removeLast() }
            guard segments.contains(user) else {
                throw .template(
                    "the template \(path): `stages.\(stage.name).\(key)` does not hold the user id as a folder of its "
                        + "own (the server allows only folders named by the user id alone, which no other user's id can "
                        + "name); put ${vars.user} in it as a whole folder (s3://BUCKET/PREFIX/${vars.user}/)")
            }
        }
    }

    /// The location a stage reads or writes per user, and its key's name.
    static func folderOf(_ stage: Stage) -> (Location, String)? {
        switch stage.kind {
        case .frames(let options): return (options.from, "from")
        case .generate(let options): return (options.to, "to")
        case .publish(let options): return (options.to, "to")
        default: return nil
        }
    }

    static func load(path: String, environment: [String: String], variables: [(String, String)]) throws(ServeError)
        -> Pipeline
    {
        let result = ManifestLoader.load(
            path: path, options: ManifestOptions(variables: variables, environment: environment))
        guard let pipeline = result.pipeline, !result.hasErrors else {
            let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
            throw .field("vars", "do not fit the template: " + errors.joined(separator: "; "))
        }
        return pipeline
    }

    /// The pipeline for one request.
    public func pipeline(for request: RunVariables, requireEnvironment: Bool = true) throws(ServeError) -> Pipeline {
        var variables = [("user", request.user.value), ("session", request.session)]
        if let prompt = request.prompt {
            guard declared.contains("prompt") else {
                throw .field(
                    "prompt",
                    "cannot be set: the template declares no variable `prompt`; declare it and use it "
                        + "as the generate stage's prompt (`prompt: ${vars.prompt}`)")
            }
            guard prompt.count <= RunVariables.maximumPromptLength else {
                throw .field("prompt", "is \(prompt.count) characters; use at most \(RunVariables.maximumPromptLength)")
            }
            variables.append(("prompt", prompt))
        }
        // Also as variables, when the template declares them (a prompt or a name may use them): the ratio as parsed
        // (digits and a colon, never the request's text), the concurrency as a number.
        if declared.contains("ratio"), let ratio = request.ratio.flatMap({ Ratio(AspectRatio.runwayRatio($0)) }) {
            variables.append(("ratio", ratio.description))
        }
        if declared.contains("concurrency"), let concurrency = request.concurrency {
            variables.append(("concurrency", String(concurrency)))
        }
        let result = ManifestLoader.load(
            path: path,
            options: ManifestOptions(
                variables: variables, environment: environment, requireEnvironment: requireEnvironment))
        guard var pipeline = result.pipeline, !result.hasErrors else {
            let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
            throw .field("vars", "do not make a valid pipeline from the template: " + errors.joined(separator: "; "))
        }
        if request.ratio != nil || request.concurrency != nil {
            pipeline = try Self.overlay(pipeline, ratio: request.ratio, concurrency: request.concurrency)
        }
        return pipeline
    }

    /// `pipeline` with every generate stage's ratio and concurrency set, checked against its model and provider.
    static func overlay(_ pipeline: Pipeline, ratio: String?, concurrency: Int?) throws(ServeError) -> Pipeline {
        var stages: [Stage] = []
        for var stage in pipeline.stages {
            if case .generate(var options) = stage.kind {
                let provider = pipeline.provider(named: options.provider)
                if let ratio {
                    guard let parsed = Ratio(AspectRatio.runwayRatio(ratio)) else {
                        throw .field(
                            "frameAspectRatio",
                            "\"\(ratio)\" is not a ratio; write WIDTH:HEIGHT such as 1280:720 or 16:9")
                    }
                    if let provider, let spec = ModelCatalog.model(named: options.model, for: provider.type),
                        !spec.ratios.accepts(parsed)
                    {
                        throw .field(
                            "frameAspectRatio",
                            "\(parsed) is not a ratio \(options.model) makes; it takes \(spec.ratios.summary)")
                    }
                    options.ratio = parsed
                }
                if let concurrency {
                    guard concurrency >= 1 else { throw .field("batchSize", "must be 1 or more") }
                    // Held to the stage's or the provider's own setting; a provider that leaves it to the account is
                    // held by the account's shared window instead.
                    var limit = concurrency
                    if let own = options.concurrency {
                        limit = own
                    } else if let provider, provider.concurrencyIsSet {
                        limit = provider.concurrency
                    }
                    options.concurrency = min(concurrency, limit)
                }
                stage.kind = .generate(options)
            }
            stages.append(stage)
        }
        var copy = Pipeline(
            version: pipeline.version, name: pipeline.name, session: pipeline.session, vars: pipeline.vars,
            s3: pipeline.s3, providers: pipeline.providers, state: pipeline.state, budget: pipeline.budget,
            stages: stages, manifestPath: pipeline.manifestPath, directory: pipeline.directory)
        copy.manifestBytes = pipeline.manifestBytes
        copy.interpolatedValues = pipeline.interpolatedValues
        return copy
    }

    /// The first frames stage's location and options for `user`: where `list_frames` looks.
    public func frames(for user: UserID) throws(ServeError) -> (pipeline: Pipeline, options: FramesOptions) {
        let pipeline = try Self.load(
            path: path, environment: environment, variables: [("user", user.value)])
        for stage in pipeline.orderedStages {
            if case .frames(let options) = stage.kind { return (pipeline, options) }
        }
        throw .template(
            "the template \(path) has no frames stage; add one that reads s3://BUCKET/reference-frames/${vars.user}/")
    }
}
