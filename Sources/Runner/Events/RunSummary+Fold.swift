import Stages

extension RunSummary {
    /// The summary with `fact` counted: failures, warnings, the estimates of submitted tasks, the items not started and
    /// the published video are tallied from the events themselves, where they are emitted (`Executor.emit`), so the two cannot drift.
    mutating func fold(_ fact: RunEvent.Fact) {
        switch fact {
        case let .itemFailed(stage, item, reason, skipped):
            failures.append(FailedItem(stage: stage, item: item, reason: reason, skipped: skipped))
        case let .warning(_, reason):
            warnings.append(reason)
        case let .itemSubmitted(_, _, _, credits):
            estimatedCredits += credits
        case let .published(_, location, link, expires):
            output = location
            self.link = link
            linkExpires = expires
        case let .stageFinished(_, _, _, _, notStarted):
            self.notStarted += notStarted
        case let .stageNotStarted(_, total, _):
            // A stage waiting for its inputs does not know its items: it counts as one.
            notStarted += total ?? 1
        case .runStarted, .stageStarted, .itemStarted, .itemResumed, .itemStatus, .itemSucceeded, .itemStopped, .runFinished:
            break
        }
    }
}
