import Foundation

/// A gain in decibels as a manifest writes it: a number, or a number followed by `dB` (`-6dB`, `12 dB`, `0`).
public enum Decibels {
    /// The JSON Schema pattern of the text form (a number is taken as it is).
    public static let pattern = "^[-+]?[0-9]+(\\.[0-9]+)? ?(dB|db|DB)?$"

    /// The value in dB, or nil when `text` is not a gain.
    public static func parse(_ text: String) -> Double? {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.lowercased().hasSuffix("db") { body = String(body.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        guard !body.isEmpty, body.allSatisfy({ $0.isNumber || "+-.".contains($0) }), let value = Double(body),
            value.isFinite
        else { return nil }
        return value
    }
}
