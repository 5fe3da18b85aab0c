import Foundation
import Stages

/// One work item's checkpoint: a small JSON document at `STATE/<pipeline>/<stage>/<key>.json`.
/// It never holds a secret or a presigned URL.
public struct CheckpointRecord: Codable, Sendable, Equatable {
    /// Where the item got to.
    public enum State: String, Codable, Sendable {
        /// A paid task exists (`taskID`): the next run polls it instead of paying again.
        case submitted
        /// The output exists (`output`).
        case succeeded
        /// It failed for good (`failure`); retryable failures are tried again by the next run.
        case failed
    }

    /// Why an item failed.
    public struct Failure: Codable, Sendable, Equatable {
        public var reason: String
        /// Whether a new attempt may succeed (a provider's internal error) or not (a moderation refusal).
        public var retryable: Bool
    }

    /// The record format's version.
    public var version = 1
    public var pipeline: String
    public var stage: String
    /// The item's content key (64 hex digits).
    public var key: String
    /// What the item is made from: the frame's name, or the stage's name.
    public var item: String
    public var state: State
    /// The inputs the key was made from, to say later what changed.
    public var inputs: [String: String]
    /// The provider's name, for generated clips.
    public var provider: String?
    /// The provider's task, once one exists.
    public var taskID: String?
    public var output: Artifact?
    /// Credits the item cost (or is expected to cost, while submitted).
    public var credits: Double?
    /// The most the item's tasks could cost (their estimates; issue #16). Nil in records written before.
    public var estimatedCredits: Double?
    /// What the provider finally charged for the item's tasks (Runway's `cost`; 0 when refunded), once known.
    public var chargedCredits: Double?
    public var failure: Failure?
    public var updated: Date

    /// A record.
    public init(
        pipeline: String, stage: String, key: String, item: String, state: State, inputs: [String: String],
        provider: String? = nil, taskID: String? = nil, output: Artifact? = nil, credits: Double? = nil,
        failure: Failure? = nil, updated: Date = Date()
    ) {
        self.pipeline = pipeline
        self.stage = stage
        self.key = key
        self.item = item
        self.state = state
        self.inputs = inputs
        self.provider = provider
        self.taskID = taskID
        self.output = output
        self.credits = credits
        self.failure = failure
        self.updated = updated
    }
}
