import Foundation

/// What a finishing stage left for the run to report: where the result is and how to reach it.
public struct StageFinish: Sendable {
    /// Where the result is.
    public var output: Artifact
    /// A time-limited link to it, and when the link expires.
    public var link: (url: URL, expires: Date)?
    /// The run record, when the stage writes or sends one.
    public var record: RunRecord?
    /// Where the record was written.
    public var recordLocation: String?

    /// A finish.
    public init(
        output: Artifact, link: (url: URL, expires: Date)? = nil, record: RunRecord? = nil,
        recordLocation: String? = nil
    ) {
        self.output = output
        self.link = link
        self.record = record
        self.recordLocation = recordLocation
    }
}
