extension FramesStage: SourceStage {
    /// `5 frames at ./frames/, 1 refused, 2 other files skipped`.
    public func summary(of selection: FrameSelection) -> String {
        let frames = selection.frames.count
        let refused = selection.refused.count
        let skipped = selection.skipped.count
        return "\(frames) frame\(frames == 1 ? "" : "s") at \(options.from)"
            + (refused == 0 ? "" : ", \(refused) refused")
            + (skipped == 0 ? "" : ", \(skipped) other file\(skipped == 1 ? "" : "s") skipped")
    }
}
