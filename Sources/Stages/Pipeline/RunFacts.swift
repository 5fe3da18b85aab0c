import Manifest

/// What a run has done so far, as a finishing stage needs it for the run record.
public struct RunFacts: Sendable {
    /// The pipeline's name and session, and the manifest's path.
    public var pipeline: String
    public var session: String
    public var manifestPath: String
    /// The pipeline's folder in the state (records of earlier runs live under `_runs/` in it).
    public var stateFolder: Location
    /// The clips that reach the stage, in film order.
    public var clips: [RunRecord.Clip]
    /// Items the run went on without.
    public var skippedFrames: [FailedItem]
    /// This run's figures so far (wall time included).
    public var totals: RunRecord.Totals

    /// Facts.
    public init(
        pipeline: String, session: String, manifestPath: String, stateFolder: Location, clips: [RunRecord.Clip],
        skippedFrames: [FailedItem], totals: RunRecord.Totals
    ) {
        self.pipeline = pipeline
        self.session = session
        self.manifestPath = manifestPath
        self.stateFolder = stateFolder
        self.clips = clips
        self.skippedFrames = skippedFrames
        self.totals = totals
    }
}
