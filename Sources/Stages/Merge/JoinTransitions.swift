import Manifest

/// A `transitions` entry of a merge stage that gives no join: its glob matches no clip's frame, or only the last
/// clip's (the film ends there; there is no join after it).
public struct UnmatchedTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public let stage: String
    public let entry: JoinTransition
    /// True when it matches the last clip only; false when it matches none.
    public let onlyTheLast: Bool
    /// A few of the clips' frame names, to show what the glob is matched against.
    public let examples: [String]

    public var description: String {
        let glob = InertText.escaped(entry.after)
        let names = examples.map { InertText.escaped($0) }.joined(separator: ", ")
        if onlyTheLast {
            return
                "\(entry.position): stage `\(stage)`: `transitions` entry `after: \(glob)` matches only the last clip, "
                + "and the film ends there (there is no join after it); match an earlier frame or remove the entry"
        }
        return "\(entry.position): stage `\(stage)`: `transitions` entry `after: \(glob)` matches no clip's frame "
            + "(they are named like \(names)); fix the glob or remove the entry"
    }
}

extension MergeStage {
    /// The transition at each join of `inputs` (key: the 0-based index of the clip the join comes after): the first
    /// `transitions` entry whose glob matches that clip's frame name, else the stage-wide `transition`. Throws
    /// `UnmatchedTransition` for an entry that gives no join.
    public func joinTransitions(for inputs: [Artifact]) throws(UnmatchedTransition) -> [Int: Transition] {
        var joins: [Int: Transition] = [:]
        let names = inputs.map(\.name)
        for entry in options.transitions {
            let glob = Glob(entry.after)
            let matching = names.indices.filter { glob.matches(names[$0]) }
            guard matching.contains(where: { $0 < names.count - 1 }) else {
                throw UnmatchedTransition(
                    stage: name, entry: entry, onlyTheLast: !matching.isEmpty, examples: Array(names.prefix(3)))
            }
        }
        for index in names.indices.dropLast() {
            let entry = options.transitions.first { Glob($0.after).matches(names[index]) }
            if let transition = entry?.transition ?? options.transition { joins[index] = transition }
        }
        return joins
    }
}
