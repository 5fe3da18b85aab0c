// Yams' C module (libyaml), pinned with Yams at an exact version: its event parser is the only
// way to see aliases before Yams composes, and hashes, what they stand for.
import CYaml

/// A linear pass over libyaml's events that refuses what would make composing the document
/// explode: aliases expanding past a limit ("billion laughs"), and aliases or collections as keys
/// (Yams hashes keys to find duplicates, which walks an alias's whole expansion).
struct YAMLPreflight {
    let limit: Int

    /// A refusal with its 1-based position.
    struct Refusal: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    /// Whether the pass is needed at all: without both an anchor and an alias there is nothing to expand.
    static func isNeeded(_ bytes: [UInt8]) -> Bool {
        bytes.contains(UInt8(ascii: "&")) && bytes.contains(UInt8(ascii: "*"))
    }

    /// The first refusal, or nil; syntax errors are left for Yams to report.
    func check(_ bytes: [UInt8]) -> Refusal? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Refusal? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return walk(&parser)
        }
    }

    /// One open collection: the nodes it stands for so far, its anchor, and (for mappings) whether a key is next.
    private struct Open {
        var size = 1
        let anchor: String?
        let isMapping: Bool
        var expectsKey: Bool
    }

    private func walk(_ parser: inout yaml_parser_t) -> Refusal? {
        var anchors: [String: Int] = [:]
        var stack: [Open] = []
        var total = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let mark = event.start_mark
            let at = (line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            let inKeyPosition = stack.last.map { $0.isMapping && $0.expectsKey } ?? false

            /// Adds a finished node of `size` to its parent, flipping the parent's key/value turn.
            func finish(size: Int) {
                guard !stack.isEmpty else { return }
                stack[stack.count - 1].size += size
                if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectsKey.toggle() }
            }

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_ALIAS_EVENT:
                let name = YAMLPreflight.string(event.data.alias.anchor) ?? ""
                if inKeyPosition {
                    return Refusal(
                        line: at.line, column: at.column,
                        message: "the alias *\(name) is used as a mapping key; a manifest's keys are plain text")
                }
                let size = anchors[name] ?? 1
                total += size
                if total > limit {
                    return Refusal(
                        line: at.line, column: at.column,
                        message: "the aliases of this document expand to more than \(limit) nodes (an \"alias bomb\"); "
                            + "a manifest never needs that many: use fewer aliases")
                }
                finish(size: size)
            case YAML_SCALAR_EVENT:
                total += 1
                if let anchor = YAMLPreflight.string(event.data.scalar.anchor) { anchors[anchor] = 1 }
                finish(size: 1)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                if inKeyPosition {
                    return Refusal(
                        line: at.line, column: at.column,
                        message:
                            "a \(isMapping ? "mapping" : "list") is used as a mapping key; a manifest's keys are plain text"
                    )
                }
                total += 1
                let anchor =
                    isMapping
                    ? YAMLPreflight.string(event.data.mapping_start.anchor)
                    : YAMLPreflight.string(event.data.sequence_start.anchor)
                stack.append(Open(anchor: anchor, isMapping: isMapping, expectsKey: true))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = stack.popLast() else { continue }
                if let anchor = closed.anchor { anchors[anchor] = closed.size }
                finish(size: closed.size)
            default:
                continue
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}
