/// A YAML scalar with where it stands and how it was written.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was written, which decides whether `5` is a number or text.
    public enum Style: Sendable, Hashable {
        case plain, quoted, block
    }

    public let value: String
    public let style: Style
    public let position: SourcePosition

    /// What a plain scalar means under YAML 1.2's core schema; quoted and block scalars are text.
    public var kind: Kind {
        guard style == .plain else { return .text }
        return Kind(plain: value)
    }

    /// The core-schema kinds a scalar can resolve to.
    public enum Kind: Sendable, Equatable {
        case null, boolean(Bool), integer(Int), number(Double), text

        init(plain value: String) {
            switch value {
            case "", "~", "null", "Null", "NULL": self = .null
            case "true", "True", "TRUE": self = .boolean(true)
            case "false", "False", "FALSE": self = .boolean(false)
            default:
                if let integer = Kind.integer(value) {
                    self = .integer(integer)
                } else if Kind.looksNumeric(value), let number = Double(value), number.isFinite {
                    self = .number(number)
                } else {
                    self = .text
                }
            }
        }

        private static func integer(_ value: String) -> Int? {
            var digits = Substring(value)
            if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(value)
        }

        private static func looksNumeric(_ value: String) -> Bool {
            value.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
                && value.contains(where: \.isNumber)
        }

        /// "a number", "text", ... for messages.
        var noun: String {
            switch self {
            case .null: return "empty (null)"
            case .boolean: return "a boolean"
            case .integer: return "a whole number"
            case .number: return "a number"
            case .text: return "text"
            }
        }
    }
}

/// A mapping entry: its key (always a scalar in a manifest) and value.
public struct YAMLEntry: Sendable {
    public let key: YAMLScalar
    public let value: YAMLNode
}

/// A YAML node with the position of every part, as the manifest's diagnostics need.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping([YAMLEntry], SourcePosition)
    case sequence([YAMLNode], SourcePosition)

    /// Where the node starts.
    public var position: SourcePosition {
        switch self {
        case .scalar(let scalar): return scalar.position
        case .mapping(_, let position), .sequence(_, let position): return position
        }
    }

    /// "a mapping", "a list", "text"... for messages.
    var noun: String {
        switch self {
        case .scalar(let scalar):
            if case .text = scalar.kind { return "the text \"\(YAMLNode.abbreviated(scalar.value))\"" }
            return scalar.kind.noun
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Text from the file shortened for a message. Pass only text the manifest wrote, or an interpolated value's
    /// display form: a shortened secret still leaks its start, which log masking (whole values only) misses.
    static func abbreviated(_ text: String, limit: Int = 40) -> String {
        let oneLine = String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit - 3)) + "..."
    }
}
