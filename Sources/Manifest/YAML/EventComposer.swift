// Yams' C module (libyaml), pinned with Yams: composing from its events directly is one linear pass.
import CYaml

/// Builds the `YAMLNode` tree straight from libyaml's events, finding every duplicate key on the way.
///
/// Yams composes a tree of its own, hashes every mapping's keys (resolving each key's tag with a regular
/// expression) and stops at the first duplicate; then the tree is converted once more. For a 4 MiB manifest that
/// was most of `runner validate`'s time, and with repeated keys the loader had to compose again for each. This
/// composer keeps each open mapping's keys in a hash table, reports every repeat at its own position, drops it (as
/// the hidden repeats were dropped before), and makes the tree in the same pass. For anything it does not handle
/// the way Yams reports it (a syntax error, an undefined alias, a second document) it hands back `.fallBack`, and
/// the loader composes with Yams, whose errors `YAMLErrorTranslator` words.
struct EventComposer {
    let file: String

    enum Outcome {
        /// The document's root (nil for an empty stream) and the problems found (duplicate keys, non-text keys).
        case composed(YAMLNode?, [Diagnostic])
        /// Compose with Yams instead, for its error.
        case fallBack
    }

    func compose(_ bytes: [UInt8]) -> Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .fallBack }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Outcome in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var state = State(file: file)
            return state.run(&parser)
        }
    }

    /// One open collection.
    private struct Open {
        let isMapping: Bool
        let position: SourcePosition
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        /// A mapping's keys so far, with the line each first appears on.
        var keys: [String: Int] = [:]
        /// A mapping's key waiting for its value.
        var pendingKey: YAMLNode?
    }

    private struct State {
        let file: String
        var stack: [Open] = []
        var anchors: [String: YAMLNode] = [:]
        var root: YAMLNode?
        var documents = 0
        var diagnostics: [Diagnostic] = []

        init(file: String) { self.file = file }

        mutating func run(_ parser: inout yaml_parser_t) -> Outcome {
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .fallBack }
                defer { yaml_event_delete(&event) }
                let position = SourcePosition(
                    file: file, line: Int(event.start_mark.line) + 1,
                    column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .composed(root, diagnostics)
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 { return .fallBack }
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let value =
                        scalar.value.map {
                            String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self)
                        } ?? ""
                    let node = YAMLNode.scalar(
                        YAMLScalar(value: value, style: State.style(scalar.style), position: position))
                    if let anchor = State.string(scalar.anchor) { anchors[anchor] = node }
                    add(node)
                case YAML_ALIAS_EVENT:
                    guard let name = State.string(event.data.alias.anchor), let node = anchors[name] else {
                        return .fallBack
                    }
                    add(node)
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(
                        Open(
                            isMapping: false, position: position, anchor: State.string(event.data.sequence_start.anchor)
                        ))
                case YAML_MAPPING_START_EVENT:
                    stack.append(
                        Open(isMapping: true, position: position, anchor: State.string(event.data.mapping_start.anchor))
                    )
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = stack.popLast() else { return .fallBack }
                    let node: YAMLNode =
                        closed.isMapping
                        ? .mapping(closed.entries, closed.position)
                        : .sequence(closed.items, closed.position)
                    if let anchor = closed.anchor { anchors[anchor] = node }
                    add(node)
                default:
                    continue
                }
            }
        }

        /// Adds a finished node to the open collection (or makes it the root).
        private mutating func add(_ node: YAMLNode) {
            guard let last = stack.indices.last else {
                root = node
                return
            }
            guard stack[last].isMapping else {
                stack[last].items.append(node)
                return
            }
            guard let key = stack[last].pendingKey else {
                stack[last].pendingKey = node
                return
            }
            stack[last].pendingKey = nil
            guard case .scalar(let keyScalar) = key else {
                diagnostics.append(
                    Diagnostic(.error, at: key.position, "a mapping key must be plain text, not a list or mapping"))
                return
            }
            if let firstLine = stack[last].keys[keyScalar.value] {
                diagnostics.append(
                    Diagnostic(
                        .error, at: keyScalar.position,
                        "`\(keyScalar.value)` is defined twice in this mapping (first at line \(firstLine)); a key may appear once"
                    ))
                return
            }
            stack[last].keys[keyScalar.value] = keyScalar.position.line
            stack[last].entries.append(YAMLEntry(key: keyScalar, value: node))
        }

        private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
            switch style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .quoted
            case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: return .block
            default: return .plain
            }
        }

        private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        }
    }
}
