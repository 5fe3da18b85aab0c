/// Read access to a mapping node by key, for a tree the `ShapeChecker` has already checked:
/// accessors return nil for what is missing or malformed, because that was reported there.
struct MappingView {
    let entries: [YAMLEntry]
    let position: SourcePosition

    init?(_ node: YAMLNode?) {
        guard case .mapping(let entries, let position)? = node else { return nil }
        self.entries = entries.filter { !ShapeChecker.isMaskedKey($0.key.value) }
        self.position = position
    }

    subscript(_ key: String) -> YAMLNode? { entries.first { $0.key.value == key }?.value }

    /// The key's own position, or the mapping's.
    func keyPosition(_ key: String) -> SourcePosition {
        entries.first { $0.key.value == key }?.key.position ?? position
    }

    func scalar(_ key: String) -> YAMLScalar? {
        guard case .scalar(let scalar)? = self[key] else { return nil }
        if case .null = scalar.kind { return nil }
        return scalar
    }

    func text(_ key: String) -> String? { scalar(key)?.value }

    func integer(_ key: String) -> Int? {
        guard case .integer(let value)? = scalar(key)?.kind else { return nil }
        return value
    }

    func number(_ key: String) -> Double? {
        switch scalar(key)?.kind {
        case .integer(let value)?: return Double(value)
        case .number(let value)?: return value
        default: return nil
        }
    }

    func boolean(_ key: String) -> Bool? {
        guard case .boolean(let value)? = scalar(key)?.kind else { return nil }
        return value
    }

    /// A name or list of names, with their positions.
    func names(_ key: String) -> [YAMLScalar] {
        switch self[key] {
        case .scalar(let scalar)?:
            if case .null = scalar.kind { return [] }
            return [scalar]
        case .sequence(let items, _)?:
            return items.compactMap { if case .scalar(let scalar) = $0 { return scalar } else { return nil } }
        default:
            return []
        }
    }
}
