import Stages

extension RunSummary {
    /// The summary with `fact` counted: failures, warnings, the estimates of submitted tasks, the items generated,
    /// resumed and not started, retries, the stages run and the published video are tallied from the events themselves, where they are emitted (`Executor.emit`), so the two cannot drift.
    mutating func fold(_ fact: RunEvent.Fact) {
        switch fact {
        case .itemFailed(let stage, let item, let reason, let skipped):
            failures.append(FailedItem(stage: stage, item: item, reason: reason, skipped: skipped))
        case .warning(_, let reason):
            warnings.append(reason)
        case .itemSubmitted(_, _, _, let credits):
            estimatedCredits += credits
        case .published(_, let location, let link, let expires):
            output = location
            self.link = link
            linkExpires = expires
        case .itemSucceeded(let stage, _, _, let charges):
            // A paid item counts as generated or resumed, with its retries; any other stage counts itself as run.
            if let charges {
                if charges.resumed { resumed += 1 } else { generated += 1 }
                retries += charges.retries
                ambiguousPosts += charges.ambiguousPosts
            } else if !stagesRun.contains(stage) {
                stagesRun.append(stage)
            }
        case .stageFinished(_, _, _, _, let notStarted):
            self.notStarted += notStarted
        case .stageNotStarted(_, let total, _):
            // A stage waiting for its inputs does not know its items: it counts as one.
            notStarted += total ?? 1
        case .runStarted, .stageStarted, .itemStarted, .itemResumed, .itemStatus, .itemStopped, .runFinished:
            break
        }
    }
}
