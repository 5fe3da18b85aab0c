import Foundation

/// The INI dialect of `~/.aws/credentials` and `~/.aws/config`: `[section]` headers, `key = value`
/// lines, `#` and `;` comments, and nested sub-sections: a key with no value followed by indented
/// `key = value` lines (`s3 =` then `  endpoint_url = ...` in a `[services name]` section), kept as
/// `s3.endpoint_url`.
struct INIFile: Sendable {
    /// Section name to its keys (lower-cased) and values.
    let sections: [String: [String: String]]

    /// Parses the text of a file.
    init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var parent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if !indented && line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                parent = nil
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if indented {
                // A line of a nested sub-section; an indented line under a key with a value continues that value,
                // which no setting the runner reads uses.
                if let parent { sections[section, default: [:]]["\(parent).\(key)"] = value }
                continue
            }
            parent = value.isEmpty ? key : nil
            sections[section, default: [:]][key] = value
        }
        self.sections = sections
    }
}
