// Yams' C module (libyaml): its events show every mapping's keys with their marks, in one linear pass.
import CYaml

/// Every duplicate key of a document, from one pass over libyaml's events.
///
/// Yams refuses a mapping with a repeated key, naming only the first; composing again after hiding each repeat
/// made a file with n repeats cost n parses (a 4 MiB manifest with 50 repeats took about 50 s). This pass keeps
/// each open mapping's keys in a hash table, so every repeat is found at once, with its own position, and the
/// loader hides them all before Yams composes the document once.
struct DuplicateKeyScan {
    /// A 1-based line and column, as libyaml counts them (Unicode scalars).
    struct Mark: Equatable {
        let line: Int
        let column: Int
    }

    /// A key written again in the same mapping.
    struct Duplicate: Equatable {
        /// The key's text (escapes resolved).
        let key: String
        /// Where the key first appears in its mapping.
        let first: Mark
        /// Where the repeat's token starts (at its quote, when quoted) and ends (after it).
        let start: Mark
        let end: Mark
        /// How the repeat is written: plain, quoted, or as a block scalar.
        let style: yaml_scalar_style_t
    }

    /// The repeats in the order they appear; a syntax error ends the pass (the composer reports it).
    static func scan(_ bytes: [UInt8]) -> [Duplicate] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return [] }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> [Duplicate] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return walk(&parser)
        }
    }

    /// One open collection; a mapping knows its keys so far and whether a key comes next.
    private struct Open {
        let isMapping: Bool
        var expectsKey = true
        var keys: [String: Mark] = [:]
    }

    private static func walk(_ parser: inout yaml_parser_t) -> [Duplicate] {
        var duplicates: [Duplicate] = []
        var stack: [Open] = []
        /// A node ended: in a mapping, the turn passes between key and value.
        func finishNode() {
            guard let last = stack.indices.last, stack[last].isMapping else { return }
            stack[last].expectsKey.toggle()
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return duplicates }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return duplicates
            case YAML_SCALAR_EVENT:
                if let last = stack.indices.last, stack[last].isMapping, stack[last].expectsKey {
                    let scalar = event.data.scalar
                    let key =
                        scalar.value.map {
                            String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self)
                        } ?? ""
                    let start = mark(event.start_mark)
                    if let first = stack[last].keys[key] {
                        duplicates.append(
                            Duplicate(
                                key: key, first: first, start: start, end: mark(event.end_mark),
                                style: scalar.style))
                    } else {
                        stack[last].keys[key] = start
                    }
                }
                finishNode()
            case YAML_ALIAS_EVENT:
                finishNode()
            case YAML_SEQUENCE_START_EVENT:
                stack.append(Open(isMapping: false))
            case YAML_MAPPING_START_EVENT:
                stack.append(Open(isMapping: true))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                _ = stack.popLast()
                finishNode()
            case YAML_DOCUMENT_END_EVENT:
                stack.removeAll()
            default:
                continue
            }
        }
    }

    private static func mark(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
