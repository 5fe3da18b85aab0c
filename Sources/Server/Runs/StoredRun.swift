import Foundation

/// A run as the database keeps it and `GET /v1/runs/{id}` shows it.
public struct StoredRun: Sendable, Equatable {
    public var id: String
    public var variables: RunVariables
    public var status: RunStatus
    public var created: Date
    public var updated: Date
    /// Why it failed, when it did.
    public var error: String?
    /// What the run has done so far (and, once it ended, what it made).
    public var progress: RunProgress
    /// The plan made when the run started (`runner plan --format json`'s object), as JSON text.
    public var plan: String?
    /// The run's summary (the `runFinished` event's), as JSON text.
    public var summary: String?
    /// The run record, when the template's publish stage writes one, as JSON text.
    public var record: String?
    /// How many events it has.
    public var eventCount: Int

    public init(id: String, variables: RunVariables, created: Date) {
        self.id = id
        self.variables = variables
        status = .queued
        self.created = created
        updated = created
        progress = RunProgress()
        eventCount = 0
    }
}

/// One stored event: its place in the run's stream (from 1) and its JSON (one `apply --format json` line).
public struct StoredEvent: Sendable, Equatable {
    public var sequence: Int
    public var kind: String
    public var json: String
}
