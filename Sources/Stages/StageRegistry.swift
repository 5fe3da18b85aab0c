import Manifest

/// The one place that maps a manifest's stage kind to the type that does its work: a new stage kind is one new type
/// in `Stages/` and one new case here.
public enum StageRegistry {
    /// A stage as the engine runs it.
    public enum Entry: Sendable {
        /// A stage that finds its outputs (frames).
        case source(any SourceStage)
        /// A stage that makes work items.
        case work(any PipelineStage)
    }

    /// The type for `stage` of `pipeline`; throws when its settings cannot make one (a provider that does not exist).
    public static func stage(for stage: Manifest.Stage, in pipeline: Pipeline) throws(StageError) -> Entry {
        switch stage.kind {
        case .frames(let options):
            return .source(FramesStage(name: stage.name, options: options))
        case .generate(let options):
            guard let provider = pipeline.provider(named: options.provider) else {
                throw StageError.providerSetting(provider: options.provider, problem: "no provider has this name")
            }
            return .work(GenerateStage(name: stage.name, options: options, provider: provider))
        case .merge(let options):
            return .work(MergeStage(name: stage.name, options: options))
        case .publish(let options):
            return .work(PublishStage(name: stage.name, options: options, project: pipeline.directory))
        case .soundtrack(let options):
            return .work(SoundtrackStage(name: stage.name, options: options, project: pipeline.directory))
        case .captions(let options):
            return .work(CaptionsStage(name: stage.name, options: options, project: pipeline.directory))
        }
    }
}
