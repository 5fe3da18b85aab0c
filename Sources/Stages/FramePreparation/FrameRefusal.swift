import Manifest
import Media

/// A frame the runner itself will not use (empty, truncated, undecodable, too large, of an unusable shape),
/// found before anything is sent to a provider: the message says so, and never blames the provider.
public struct FrameRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame's name, inert (control characters escaped).
    public let frame: String
    public let problem: ImageProblem

    /// A refusal of `frame` (its raw name: it is escaped here).
    public init(frame: String, problem: ImageProblem) {
        self.frame = InertText.escaped(frame)
        self.problem = problem
    }

    public var description: String {
        "the runner refused \(frame) before sending it to any provider: \(problem)"
    }
}
