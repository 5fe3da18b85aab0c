/// Which stage kinds give a film, and which take one and give one (docs/engine.md, "Film stages").
extension StageType {
    /// The kinds that take one film and give a film (`needs: [film]`), so that they chain: soundtrack, captions.
    public static let filmStages: Set<StageType> = [.soundtrack, .captions]

    /// The kinds whose one output is a film: a merge, and every film stage. A publish or a film stage reads one.
    public static var filmGiving: Set<StageType> { filmStages.union([.merge]) }

    /// The types a stage of this type may read (`needs`).
    public var allowedInputs: Set<StageType> {
        if self == .publish || Self.filmStages.contains(self) { return Self.filmGiving }
        if self == .generate { return [.frames] }
        if self == .merge { return [.generate, .merge] }
        return []
    }

    /// Whether a stage of this type reads exactly one stage (a generate its frames, a publish or a film stage its film).
    public var readsOneStage: Bool {
        self == .generate || self == .publish || Self.filmStages.contains(self)
    }
}
