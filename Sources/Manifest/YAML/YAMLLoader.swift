import CYaml
import Yams

/// Reads YAML text into a `YAMLNode` tree with positions, turning every parser problem into a diagnostic.
///
/// It guards against hostile input: files over `maximumBytes`, text that is not UTF-8, and alias
/// "bombs" (refused by `YAMLPreflight`, which counts what aliases would expand to without expanding them).
struct YAMLLoader {
    /// Larger manifests are refused before parsing.
    static let maximumBytes = 4 << 20
    /// The most nodes a document may stand for once its aliases are expanded.
    static let maximumExpandedNodes = 200_000
    /// libyaml's own limit, which it reports as an error.
    static let maximumNesting = 1000

    let file: String

    /// What to say of a file over the size limit.
    static func tooLargeMessage(size: Int) -> String {
        let mebibytes = Double(size) / 1_048_576
        let shown = mebibytes >= 10 ? String(Int(mebibytes)) : String(Double(Int(mebibytes * 10)) / 10)
        return
            "the manifest is \(shown) MiB; a manifest may be at most \(maximumBytes >> 20) MiB (is this the right file?)"
    }

    /// The loaded tree (nil when the document is unusable) and the problems found.
    struct Result {
        var root: YAMLNode?
        var source: SourceText?
        var diagnostics: [Diagnostic]
    }

    func load(bytes: [UInt8]) -> Result {
        let start = SourcePosition(file: file, line: 1, column: 1)
        if bytes.count > YAMLLoader.maximumBytes {
            return Result(diagnostics: [Diagnostic(.error, at: start, YAMLLoader.tooLargeMessage(size: bytes.count))])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = YAMLLoader.firstInvalidUTF8Offset(bytes)
            let prefix = String(decoding: bytes[..<offset], as: UTF8.self)
            let source = SourceText(file: file, text: prefix)
            let byte = offset < bytes.count ? String(bytes[offset], radix: 16, uppercase: true) : "?"
            return Result(diagnostics: [
                Diagnostic(
                    .error, at: source.position(ofOffset: source.scalars.count),
                    "the file is not UTF-8 text (byte 0x\(byte)); a manifest is a YAML text file")
            ])
        }
        let source = SourceText(file: file, text: text)
        if let offset = source.scalars.firstIndex(where: YAMLLoader.isForbiddenControl) {
            let code = String(source.scalars[offset].value, radix: 16, uppercase: true)
            return Result(
                source: source,
                diagnostics: [
                    Diagnostic(
                        .error, at: source.position(ofOffset: offset),
                        "the file contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code); a manifest is a YAML text file"
                    )
                ])
        }
        if let offset = source.scalars.firstIndex(where: YAMLLoader.isUnusualLineBreak) {
            let code = String(source.scalars[offset].value, radix: 16, uppercase: true)
            return Result(
                source: source,
                diagnostics: [
                    Diagnostic(
                        .error, at: source.position(ofOffset: offset),
                        "the file contains U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), which YAML reads as a line break but editors do not; "
                            + "replace it with a newline or a space")
                ])
        }
        if YAMLPreflight.isNeeded(bytes),
            let refusal = YAMLPreflight(limit: YAMLLoader.maximumExpandedNodes).check(bytes)
        {
            return Result(
                source: source,
                diagnostics: [
                    Diagnostic(
                        .error,
                        at: source.position(line: refusal.line, column: refusal.column), refusal.message)
                ])
        }
        return compose(source: source, text: text, bytes: bytes)
    }

    /// Composes the text in one pass over libyaml's events (`EventComposer`), which finds every duplicate key.
    ///
    /// Should Yams, on the fall-back path, still find a repeat the scan could not hide (a block-scalar key), the
    /// loader hides it and composes again, at most 50 times: the old way, kept for those rare keys only.
    private func compose(source: SourceText, text: String, bytes: [UInt8]) -> Result {
        switch EventComposer(file: file).compose(bytes) {
        case .composed(let root?, let diagnostics):
            return Result(root: root, source: source, diagnostics: diagnostics)
        case .composed(nil, _):
            return Result(
                source: source,
                diagnostics: [
                    Diagnostic(
                        .error, at: source.position(line: 1, column: 1),
                        "the manifest is empty; it needs at least `version: 1`, `name` and `stages`")
                ])
        case .fallBack:
            return composeWithYams(source: source, text: text, bytes: bytes)
        }
    }

    /// Composes with Yams, for a document `EventComposer` leaves to it (one with an error, mostly): every
    /// duplicate key reported and hidden beforehand (`DuplicateKeyScan`), so that Yams stops only at other errors.
    func composeWithYams(source: SourceText, text: String, bytes: [UInt8]) -> Result {
        var diagnostics: [Diagnostic] = []
        var masked = source.scalars
        var attempt = 0
        let duplicates = DuplicateKeyScan.scan(bytes)
        for (index, duplicate) in duplicates.enumerated() {
            diagnostics.append(
                Diagnostic(
                    .error, at: source.position(line: duplicate.start.line, column: duplicate.start.column),
                    "`\(duplicate.key)` is defined twice in this mapping (first at line \(duplicate.first.line)); a key may appear once"
                ))
            YAMLLoader.hide(duplicate, number: index + 1, in: &masked, source: source)
        }
        while true {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: masked)
            let current = attempt == 0 && duplicates.isEmpty ? text : String(view)
            do {
                let node = try Parser(yaml: current).singleRoot()
                guard let node else {
                    diagnostics.append(
                        Diagnostic(
                            .error, at: source.position(line: 1, column: 1),
                            "the manifest is empty; it needs at least `version: 1`, `name` and `stages`"))
                    return Result(source: source, diagnostics: diagnostics)
                }
                var converter = NodeConverter(file: file)
                let root = converter.convert(node)
                diagnostics.append(contentsOf: converter.diagnostics)
                return Result(root: root, source: source, diagnostics: diagnostics)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                attempt += 1
                let located = DuplicateKeyLocator(source: source, masked: masked)
                    .locate(keys: duplicates, firstKeyAt: context.mark)
                diagnostics.append(Diagnostic(.error, at: located.position, located.message))
                guard let mask = located.mask, attempt < 50 else {
                    return Result(source: source, diagnostics: diagnostics)
                }
                for offset in mask { masked[offset] = Unicode.Scalar(0xE000 + UInt32(attempt % 0x1000)) ?? "_" }
            } catch let error as YamlError {
                // A syntax error found after masking a duplicate may be the mask's doing: keep only the duplicates then.
                if attempt == 0 || diagnostics.isEmpty {
                    diagnostics.append(YAMLErrorTranslator(source: source).diagnostic(for: error))
                }
                return Result(source: source, diagnostics: diagnostics)
            } catch {
                diagnostics.append(
                    Diagnostic(
                        .error, at: source.position(line: 1, column: 1),
                        "the YAML could not be read: \(error)"))
                return Result(source: source, diagnostics: diagnostics)
            }
        }
    }

    /// Overwrites a repeated key's characters with private-use ones spelling `number`, so that every hidden key
    /// differs from every other and from the keys written (`ShapeChecker.isMaskedKey` then skips it). Quotes,
    /// spaces and line breaks stay, so the document's structure and positions do not change.
    private static func hide(
        _ duplicate: DuplicateKeyScan.Duplicate, number: Int, in masked: inout [Unicode.Scalar],
        source: SourceText
    ) {
        guard duplicate.style != YAML_LITERAL_SCALAR_STYLE, duplicate.style != YAML_FOLDED_SCALAR_STYLE else { return }
        var start = source.offset(line: duplicate.start.line, column: duplicate.start.column)
        var end = source.offset(line: duplicate.end.line, column: duplicate.end.column)
        // A key's event starts at its properties (`&anchor`, `!tag`), which must stay: skip to the key's text.
        while start < end, masked[start] == "&" || masked[start] == "!" {
            while start < end, !" \t\r\n".unicodeScalars.contains(masked[start]) { start += 1 }
            while start < end, " \t\r\n".unicodeScalars.contains(masked[start]) { start += 1 }
        }
        if duplicate.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || duplicate.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE {
            start += 1
            end -= 1
        }
        guard start < end, end <= masked.count else { return }
        let positions = (start..<end).filter { !" \t\r\n".unicodeScalars.contains(masked[$0]) }
        guard !positions.isEmpty else { return }
        var rest = number
        for position in positions.reversed() {
            masked[position] = Unicode.Scalar(0xE000 + UInt32(rest % 0x1000)) ?? "_"
            rest /= 0x1000
        }
    }

    /// Control characters YAML forbids anywhere (tab, line feed and carriage return are allowed).
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F
            || value == 0xFFFE || value == 0xFFFF
    }

    /// NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to libyaml, not to editors, so positions would disagree.
    static func isUnusualLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput, .error:
                return offset
            }
        }
    }
}

/// Keys that a duplicate-key error was reported for, with the placeholder that hides the repeat.
private struct DuplicateKeyLocator {
    let source: SourceText
    let masked: [Unicode.Scalar]

    struct Located {
        let position: SourcePosition
        let message: String
        let mask: Range<Int>?
    }

    /// Finds the second occurrence of the first duplicated key, in the mapping whose first such key is at `mark`.
    func locate(keys: [String], firstKeyAt mark: Mark) -> Located {
        let key = keys.first ?? ""
        let first = source.offset(line: mark.line, column: mark.column)
        let firstPosition = source.position(ofOffset: first)
        let message = "`\(key)` is defined twice in this mapping (first at line \(mark.line)); a key may appear once"
        let needle = Array(key.unicodeScalars)
        guard !needle.isEmpty else { return Located(position: firstPosition, message: message, mask: nil) }
        // Skip the first occurrence (possibly quoted) and look for the next key written the same way:
        // in a block mapping at the same column, in a flow mapping anywhere after it.
        var index = first + 1
        while index + needle.count <= masked.count {
            if Array(masked[index..<(index + needle.count)]) == needle, isKey(at: index, length: needle.count) {
                let position = source.position(ofOffset: index)
                let sameColumn = position.column == mark.column || position.column == mark.column + 1
                if sameColumn || isInFlow(offset: index) {
                    return Located(position: position, message: message, mask: index..<(index + needle.count))
                }
            }
            index += 1
        }
        return Located(position: firstPosition, message: message, mask: nil)
    }

    /// Whether the text at `offset` is followed by optional spaces (or a closing quote) and a colon.
    private func isKey(at offset: Int, length: Int) -> Bool {
        if offset > 0 {
            let before = masked[offset - 1]
            guard
                before == " " || before == "\n" || before == "\r" || before == "\"" || before == "'"
                    || before == "{" || before == "," || before == "-" || before == "?" || before == "\t"
            else { return false }
        }
        var index = offset + length
        if index < masked.count, masked[index] == "\"" || masked[index] == "'" { index += 1 }
        while index < masked.count, masked[index] == " " { index += 1 }
        return index < masked.count && masked[index] == ":"
    }

    private func isInFlow(offset: Int) -> Bool {
        let line = source.position(ofOffset: offset).line
        let start = source.lineStarts[line - 1]
        return masked[start..<offset].contains("{") || masked[start..<offset].contains(",")
    }
}

/// Turns Yams' node tree into `YAMLNode`. Aliases arrive resolved; `YAMLPreflight` has bounded what they expand to.
private struct NodeConverter {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    private func position(_ mark: Mark?) -> SourcePosition {
        SourcePosition(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func convert(_ node: Node) -> YAMLNode {
        switch node {
        case .scalar(let scalar):
            return .scalar(YAMLNodeStyle.scalar(scalar, at: position(scalar.mark)))
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    diagnostics.append(
                        Diagnostic(
                            .error, at: position(key.mark),
                            "a mapping key must be plain text, not a list or mapping"))
                    continue
                }
                entries.append(
                    YAMLEntry(key: YAMLNodeStyle.scalar(keyScalar, at: position(keyScalar.mark)), value: convert(value))
                )
            }
            return .mapping(entries, position(mapping.mark))
        case .sequence(let sequence):
            return .sequence(sequence.map { convert($0) }, position(sequence.mark))
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one can only be undefined.
            diagnostics.append(
                Diagnostic(
                    .error, at: position(alias.mark),
                    "the alias *\(alias.anchor.rawValue) names no anchor defined before it"))
            return .scalar(YAMLScalar(value: "", style: .plain, position: position(alias.mark)))
        }
    }
}

/// The mapping from Yams' scalar styles to the three that matter here.
private enum YAMLNodeStyle {
    static func scalar(_ scalar: Node.Scalar, at position: SourcePosition) -> YAMLScalar {
        let style: YAMLScalar.Style
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: style = .quoted
        case .literal, .folded: style = .block
        default: style = .plain
        }
        return YAMLScalar(value: scalar.string, style: style, position: position)
    }
}
