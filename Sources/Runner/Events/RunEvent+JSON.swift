import Foundation
import Stages

extension RunEvent: Encodable {
    private enum Field: String, CodingKey {
        case time, kind, pipeline, session, stage, item, taskID, status, progress, total, cached, succeeded, failed,
            notStarted, credits
        case estimatedCredits, refundedCredits, resumed, retries, ambiguousPosts, location, link, expires, reason,
            skipped, outcome, summary, record
    }

    /// One flat object: `time`, `kind` and the fields of the fact (docs/engine.md lists them per kind), the same
    /// object the event stream has always written.
    public func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Field.self)
        try out.encode(time, forKey: .time)
        try out.encode(kind, forKey: .kind)
        try out.encodeIfPresent(stage, forKey: .stage)
        try out.encodeIfPresent(item, forKey: .item)
        switch fact {
        case .runStarted(let pipeline, let session):
            try out.encode(pipeline, forKey: .pipeline)
            try out.encode(session, forKey: .session)
        case .stageStarted(_, let total, let cached):
            try out.encode(total, forKey: .total)
            try out.encode(cached, forKey: .cached)
        case .itemStarted:
            break
        case .itemResumed(_, _, let taskID):
            try out.encodeIfPresent(taskID, forKey: .taskID)
        case .itemSubmitted(_, _, let taskID, let credits):
            try out.encode(taskID, forKey: .taskID)
            try out.encode(credits, forKey: .credits)
            try out.encode(credits, forKey: .estimatedCredits)
        case .itemStatus(_, _, let status, let progress):
            try out.encode(status.rawValue, forKey: .status)
            try out.encodeIfPresent(progress, forKey: .progress)
        case .itemSucceeded(_, _, let location, let charges):
            try out.encode(location, forKey: .location)
            if let charges {
                try out.encode(charges.credits, forKey: .credits)
                try out.encode(charges.estimatedCredits, forKey: .estimatedCredits)
                try out.encode(charges.refundedCredits, forKey: .refundedCredits)
                try out.encodeIfPresent(charges.taskID, forKey: .taskID)
                // Only when they say something: an item made at its first try writes the object it always has.
                if charges.resumed { try out.encode(true, forKey: .resumed) }
                if charges.retries > 0 { try out.encode(charges.retries, forKey: .retries) }
                if charges.ambiguousPosts > 0 { try out.encode(charges.ambiguousPosts, forKey: .ambiguousPosts) }
            }
        case .itemFailed(_, _, let reason, let skipped):
            try out.encode(reason, forKey: .reason)
            try out.encode(skipped, forKey: .skipped)
        case .itemStopped(_, _, let reason):
            try out.encode(reason, forKey: .reason)
        case .stageFinished(_, let total, let succeeded, let failed, let notStarted):
            try out.encode(total, forKey: .total)
            try out.encode(succeeded, forKey: .succeeded)
            try out.encode(failed, forKey: .failed)
            // Only when some were not made: a stage that ran to its end writes the object it always has.
            if notStarted > 0 { try out.encode(notStarted, forKey: .notStarted) }
        case .stageNotStarted(_, let total, let reason):
            try out.encodeIfPresent(total, forKey: .total)
            try out.encode(reason, forKey: .reason)
        case .published(_, let location, let link, let expires):
            try out.encode(location, forKey: .location)
            try out.encodeIfPresent(link, forKey: .link)
            try out.encodeIfPresent(expires, forKey: .expires)
        case .warning(_, let reason):
            try out.encode(reason, forKey: .reason)
        case .runFinished(let summary):
            try out.encode(summary.outcome.rawValue, forKey: .outcome)
            try out.encodeIfPresent(summary.reason, forKey: .reason)
            try out.encode(summary.credits, forKey: .credits)
            try out.encode(summary.estimatedCredits, forKey: .estimatedCredits)
            try out.encode(summary.refundedCredits, forKey: .refundedCredits)
            try out.encodeIfPresent(summary.output, forKey: .location)
            try out.encode(summary, forKey: .summary)
            try out.encodeIfPresent(summary.record, forKey: .record)
        }
    }
}
