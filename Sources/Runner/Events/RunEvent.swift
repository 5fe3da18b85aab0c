import Foundation
import Stages

/// Something that happened during `apply`, for the live display, plain log lines and the JSON event stream: when,
/// and the fact itself, whose case carries exactly what it says. Its JSON is one flat object per event, so each line
/// is easy to read with `jq` (`RunEvent+JSON`).
public struct RunEvent: Sendable, Equatable {
    /// What happened; each kind names a case of `Fact`.
    public enum Kind: String, Sendable, Codable {
        case runStarted, stageStarted, itemStarted, itemSubmitted, itemResumed, itemStatus, itemSucceeded, itemFailed,
            itemStopped
        case stageFinished, stageNotStarted, published, warning, runFinished
    }

    /// When it happened.
    public var time: Date
    /// What happened.
    public var fact: Fact

    /// An event of `fact`, now.
    public init(_ fact: Fact, time: Date = Date()) {
        self.fact = fact
        self.time = time
    }

    /// The fact's kind.
    public var kind: Kind { fact.kind }
    /// The stage it concerns, when it concerns one.
    public var stage: String? { fact.stage }
    /// The item it concerns, when it concerns one.
    public var item: String? { fact.item }
}

/// Where events go; called from many tasks at once, so it must be thread-safe.
public typealias RunEventSink = @Sendable (RunEvent) -> Void
