import Foundation

/// Decoding of a `captions` stage (issue #19): its source, language and burn options.
extension PipelineDecoder {
    mutating func decodeCaptions(_ view: MappingView, path: String) -> Stage.Kind? {
        let language = checkedLanguage(view, path: path)
        var burn: BurnOptions?
        var burnIsValid = true
        if let burnView = MappingView(view["burn"]) {
            burn = decodeBurn(burnView, path: "\(path).burn")
            burnIsValid = burn != nil
        }
        let source: CaptionsOptions.Source?
        switch (view["from"], view["lines"]) {
        case (.some, .some):
            diagnostics.error(
                "`\(path)` has both `from` and `lines`; captions come from one: a subtitle file or a line per clip",
                at: view.keyPosition("lines"))
            source = nil
        case (.some, nil):
            source = subtitleFile(view, path: path).map { .file($0) }
        case (nil, .some):
            source = captionLines(view, path: path).map { .lines($0) }
        case (nil, nil):
            diagnostics.error(
                "`\(path)` needs `from` (a .srt or .vtt file) or `lines` (a caption per clip)", at: view.position)
            source = nil
        }
        guard let source, let language, burnIsValid else { return nil }
        return .captions(CaptionsOptions(source: source, language: language, burn: burn))
    }

    /// `from`: a `.srt` or `.vtt` file that exists, in the project (or a trusted folder) when local.
    private mutating func subtitleFile(_ view: MappingView, path: String) -> Location? {
        guard let file = ownFile(view, "from", path: "\(path).from") else { return nil }
        guard CaptionsOptions.FileFormat(of: file) != nil else {
            diagnostics.error(
                "`\(path).from` must name a SubRip (.srt) or WebVTT (.vtt) file; the format is told by the extension",
                at: view.scalar("from")?.position ?? view.position)
            return nil
        }
        return file
    }

    /// `lines`: at least one, each a glob and a text that is not empty.
    private mutating func captionLines(_ view: MappingView, path: String) -> [CaptionLine]? {
        guard case .sequence(let items, let position)? = view["lines"] else { return nil }
        if items.isEmpty {
            diagnostics.error("`\(path).lines` is empty; write at least one `{ match: GLOB, text: ... }`", at: position)
            return nil
        }
        var lines: [CaptionLine] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard let entry = MappingView(item), let match = entry.text("match"), let scalar = entry.scalar("text")
            else {
                valid = false
                continue
            }
            let itemPath = "\(path).lines[\(index)]"
            guard let text = resolveText(scalar, path: "\(itemPath).text") else {
                valid = false
                continue
            }
            if text.allSatisfy(\.isWhitespace) {
                diagnostics.error(
                    "`\(itemPath).text` is empty; write the caption, or remove the entry", at: scalar.position)
                valid = false
            } else if text.utf8.count > CaptionLine.maximumTextBytes {
                diagnostics.error(
                    "`\(itemPath).text` is \(text.utf8.count) bytes long; a caption holds at most "
                        + "\(CaptionLine.maximumTextBytes)", at: scalar.position)
                valid = false
            }
            lines.append(CaptionLine(match: match, text: text, position: item.position))
        }
        return valid ? lines : nil
    }

    /// `language`: a BCP 47 tag; `und` when absent.
    private mutating func checkedLanguage(_ view: MappingView, path: String) -> LanguageTag? {
        guard let scalar = view.scalar("language") else { return .undetermined }
        guard let text = resolveText(scalar, path: "\(path).language") else { return nil }
        do {
            return try LanguageTag(parsing: text)
        } catch {
            diagnostics.error("`\(path).language` \(error.description)", at: scalar.position)
            return nil
        }
    }

    private mutating func decodeBurn(_ view: MappingView, path: String) -> BurnOptions? {
        var font: BurnOptions.Font?
        var valid = true
        if let scalar = view.scalar("font") {
            if let text = resolveText(scalar, path: "\(path).font") {
                font = checkedFont(text, view: view, scalar: scalar, path: "\(path).font")
                valid = font != nil
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        return BurnOptions(
            font: font, size: view.integer("size"),
            position: view.text("position").flatMap(CaptionPosition.init) ?? .bottom,
            outline: view.number("outline") ?? 2)
    }

    /// A font file (by its extension or a `/`) that exists in the project, or a family name fit for an ASS style.
    private mutating func checkedFont(_ text: String, view: MappingView, scalar: YAMLScalar, path: String)
        -> BurnOptions.Font?
    {
        let ext = (text as NSString).pathExtension.lowercased()
        if BurnOptions.fontExtensions.contains(ext) || text.contains("/") {
            guard BurnOptions.fontExtensions.contains(ext) else {
                diagnostics.error(
                    "`\(path)` names a file that is not a font libass reads; give a .ttf, .otf or .ttc file, "
                        + "or a font family name such as \"DejaVu Sans\"", at: scalar.position)
                return nil
            }
            return ownFile(view, "font", path: path).map { .file($0) }
        }
        guard !text.isEmpty, text.count <= 100, !text.contains(","),
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else {
            diagnostics.error(
                "`\(path)` \"\(InertText.escaped(String(text.prefix(100))))\" is not a font family name: at most 100 "
                    + "characters, no commas or control characters (e.g. \"DejaVu Sans\"), or a font file",
                at: scalar.position)
            return nil
        }
        return .name(text)
    }
}
