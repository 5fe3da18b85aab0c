/// The stages as a graph: edges from each stage to the stages it `needs`.
public struct StageGraph: Sendable {
    /// Stage names in the order written.
    public let names: [String]
    /// For each stage, the stages it needs (only names that exist).
    public let needs: [String: [String]]
    /// For each stage, the stages that need it, in the order written.
    private let dependentsByName: [String: [String]]

    public init(stages: [Stage]) {
        self.init(edges: stages.map { ($0.name, $0.needs) })
    }

    /// A graph from each stage's name and the names it needs, in the order written.
    init(edges: [(name: String, needs: [String])]) {
        names = edges.map(\.name)
        let known = Set(names)
        var needs: [String: [String]] = [:]
        var dependents: [String: [String]] = [:]
        for edge in edges {
            let known = edge.needs.filter(known.contains)
            needs[edge.name] = known
            for need in Set(known) { dependents[need, default: []].append(edge.name) }
        }
        self.needs = needs
        dependentsByName = dependents
    }

    /// The stages that need `name`.
    public func dependents(of name: String) -> [String] {
        dependentsByName[name] ?? []
    }

    /// A cycle as the names along it, first name repeated at the end (`clips -> film -> clips`), or nil.
    public func firstCycle() -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        for start in names where marks[start] == nil {
            // Iterative depth-first search, so that a long chain of stages cannot exhaust the stack.
            var stack: [(name: String, next: Int)] = [(start, 0)]
            var path: [String] = [start]
            marks[start] = .visiting
            while let top = stack.last {
                let edges = needs[top.name] ?? []
                if top.next < edges.count {
                    stack[stack.count - 1].next += 1
                    let target = edges[top.next]
                    switch marks[target] {
                    case .visiting?:
                        guard let index = path.firstIndex(of: target) else { continue }
                        return Array(path[index...]) + [target]
                    case .done?:
                        continue
                    case nil:
                        marks[target] = .visiting
                        stack.append((target, 0))
                        path.append(target)
                    }
                } else {
                    marks[top.name] = .done
                    stack.removeLast()
                    path.removeLast()
                }
            }
        }
        return nil
    }

    /// The stages in an order where each comes after the stages it needs; nil when there is a cycle.
    public func topologicalOrder() -> [String]? {
        var remaining = needs.mapValues(Set.init)
        var order: [String] = []
        var ready = names.filter { remaining[$0]?.isEmpty ?? true }
        var readIndex = 0
        while readIndex < ready.count {
            let name = ready[readIndex]
            readIndex += 1
            order.append(name)
            for dependent in dependents(of: name) {
                remaining[dependent]?.remove(name)
                if remaining[dependent]?.isEmpty ?? false { ready.append(dependent) }
            }
        }
        return order.count == names.count ? order : nil
    }

    /// The stages' indexes (in `names`) in an order where each comes after the stages it needs and, among the stages
    /// ready at each point, the one written first comes first: the order the stages are written in when it already
    /// respects `needs`. Stages on a cycle (and those after them) are left out. O((V + E) log V).
    public func orderAsWritten() -> [Int] {
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var waitingOn = names.map { Set(needs[$0] ?? []).count }
        var ready = IndexHeap()
        for (position, count) in waitingOn.enumerated() where count == 0 { ready.push(position) }
        var order: [Int] = []
        order.reserveCapacity(names.count)
        while let position = ready.pop() {
            order.append(position)
            for dependent in dependents(of: names[position]) {
                guard let at = index[dependent] else { continue }
                waitingOn[at] -= 1
                if waitingOn[at] == 0 { ready.push(at) }
            }
        }
        return order
    }
}
