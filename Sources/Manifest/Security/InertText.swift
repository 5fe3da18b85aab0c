/// Text from outside (file names, S3 keys, server answers) made safe to print (docs/security.md).
///
/// A name or a server's text may hold terminal escape sequences, newlines that forge log lines or GitHub
/// `::error` annotations, or bidirectional overrides. Every such text reaches output through `InertText`.
public enum InertText {
    /// `text` with control characters (C0, DEL, C1) and bidirectional controls escaped as `\n`, `\t`, `\r`,
    /// `\u{1B}`..., and a backslash doubled so that the escaped form is unambiguous.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `text` holds a control character (C0, DEL, C1) or a bidirectional control.
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { isControl($0) }
    }

    /// A URL for a message: without user information, query or fragment (links carry tokens in both).
    public static func redactedURL(_ text: String) -> String {
        var text = text
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<cut]) }
        if let schemeEnd = text.firstRange(of: "://") {
            let afterScheme = text[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            if let at = afterScheme[..<authorityEnd].lastIndex(of: "@") {
                text = String(text[..<schemeEnd.upperBound]) + String(afterScheme[afterScheme.index(after: at)...])
            }
        }
        return escaped(text)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E
            || value == 0x200F
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool { isControl(scalar) }
}
