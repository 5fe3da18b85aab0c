/// A stage that can start on its inputs while they are being made: when it needs one stage alone and that stage has
/// items to make in this run, the engine asks it for a consumer and hands each input to it the moment the input is
/// recorded (a merge makes its film as the clips land). The stage's key, decision and records stay its own: when the
/// stage's item is made, the consumer is in `StageContext.streamedInputs`, and the stage uses what it did only if it
/// holds exactly the inputs the stage got, in order; otherwise the stage makes its item as it always does.
public protocol StreamingInputs: PipelineStage {
    /// A consumer of the `count` items of the one stage this stage needs, by place, or nil when it cannot use them so.
    func inputConsumer(count: Int, in context: StageContext) -> (any InputConsumer)?
}

/// What a `StreamingInputs` stage does with its inputs as they are recorded. Every method may be called from any task.
public protocol InputConsumer: Sendable {
    /// The input at `index` (0-based, in the needed stage's item order) is made and recorded. Returns at once.
    func land(_ index: Int, input: Artifact) async

    /// An input will not be as planned (it failed, was skipped or was not made): the stage makes its item as before.
    func abandon(_ reason: String) async

    /// Stops any work and deletes what it kept; called once the stage has decided and made its item (or did not run).
    func close() async
}
