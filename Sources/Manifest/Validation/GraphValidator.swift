/// Checks how stages link: `needs` that name real stages of the right type, no cycles, no dead ends.
struct GraphValidator {
    /// What the graph checks need of a stage, kept even when the stage's options have errors.
    struct Node {
        let name: String
        /// Nil when the stage's type is invalid (already reported): the graph still knows the name.
        let type: StageType?
        let needs: [YAMLScalar]
        let provider: String?
        let position: SourcePosition
    }

    let stages: [Node]
    let providers: [Provider]
    let stagesPosition: SourcePosition
    var diagnostics = Diagnostics()

    mutating func validate() {
        let byName = Dictionary(stages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for stage in stages { checkNeeds(of: stage, byName: byName) }
        // Names that point nowhere make "unused" warnings misleading: report those only once the links are right.
        let providerNames = Set(providers.map(\.name))
        let linksResolve =
            !diagnostics.hasErrors && stages.allSatisfy { $0.provider.map(providerNames.contains) ?? true }
        let graph = StageGraph(edges: stages.map { ($0.name, $0.needs.map(\.value)) })
        if let cycle = graph.firstCycle(), let first = byName[cycle[0]] {
            diagnostics.error(
                "the stages form a cycle: \(cycle.joined(separator: " -> ")); `needs` must not lead back to a stage",
                at: first.position)
        }
        for stage in stages where linksResolve && graph.dependents(of: stage.name).isEmpty {
            // A frames stage or a film nobody reads is work for nothing; a generate stage keeps its clips, a publish
            // is an end.
            guard let type = stage.type, type == .frames || StageType.filmGiving.contains(type) else { continue }
            diagnostics.warning(
                "stage `\(stage.name)` is needed by no stage and publishes nothing; "
                    + "add a stage that needs it, or remove it", at: stage.position)
        }
        let used = Set(stages.compactMap(\.provider))
        for provider in providers where linksResolve && !used.contains(provider.name) {
            diagnostics.warning("provider `\(provider.name)` is used by no stage", at: provider.position)
        }
        if stages.isEmpty, !diagnostics.hasErrors {
            diagnostics.warning("the manifest has no stages; it does nothing", at: stagesPosition)
        }
    }

    private mutating func checkNeeds(of stage: Node, byName: [String: Node]) {
        guard let type = stage.type else { return }
        let allowed = type.allowedInputs
        let allowedText = StageType.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: " or ")
        if type != .frames, stage.needs.isEmpty {
            diagnostics.error(
                "stage `\(stage.name)` (\(type.rawValue)) needs at least one \(allowedText) stage in `needs`",
                at: stage.position)
        }
        if type.readsOneStage, stage.needs.count > 1 {
            diagnostics.error(
                "stage `\(stage.name)` (\(type.rawValue)) reads exactly one \(allowedText) stage; `needs` lists \(stage.needs.count)",
                at: stage.position)
        }
        var seen = Set<String>()
        for needScalar in stage.needs {
            let need = needScalar.value
            if !seen.insert(need).inserted {
                diagnostics.error("stage `\(stage.name)` lists `\(need)` twice in `needs`", at: needScalar.position)
                continue
            }
            guard let input = byName[need] else {
                diagnostics.error(
                    "stage `\(stage.name)` needs `\(need)`, which is not a stage"
                        + (Suggestion.closest(to: need, among: byName.keys.sorted()).map { "; did you mean `\($0)`?" }
                            ?? "; the stages are \(stages.map(\.name).joined(separator: ", "))"),
                    at: needScalar.position)
                continue
            }
            if need == stage.name {
                continue  // reported as a cycle
            }
            if let inputType = input.type, !allowed.contains(inputType) {
                diagnostics.error(
                    "stage `\(stage.name)` (\(type.rawValue)) cannot read `\(need)`, a \(inputType.rawValue) stage; "
                        + "it reads \(allowedText) stages", at: needScalar.position)
            }
        }
    }
}
