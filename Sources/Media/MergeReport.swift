/// What a merge did.
public struct MergeReport: Sendable, Equatable, Codable {
    /// The mode actually used (never `.auto`).
    public var mode: MergeMode
    /// Why that mode was used, as a sentence.
    public var reason: String
    public var output: String
    public var clipCount: Int
    /// Output duration in seconds.
    public var duration: Double
    public var hasAudio: Bool
    /// Copy mode: timestamps nudged to keep DTS strictly rising across joins.
    public var timestampAdjustments: Int
}
