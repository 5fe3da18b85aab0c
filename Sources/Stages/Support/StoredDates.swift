import Foundation

/// Dates in the JSON the runner stores (checkpoint records, run records): ISO 8601 to the millisecond, as events
/// write them, so a date read back is the date that was written. Whole seconds, as earlier runners wrote them, still read.
public enum StoredDates {
    /// `2026-11-30T12:49:43.700Z`.
    public static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Writes `date` to the millisecond (a `JSONEncoder.dateEncodingStrategy`).
    public static func encode(_ date: Date, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text(of: date))
    }

    /// `date` as ISO 8601 to the millisecond. The milliseconds are counted here: `style`'s own fraction is one short
    /// for about half of the dates parsed from text (`.005` formats as `.004`), so a record written again would not
    /// be the bytes it was read from (and a run record's webhook is sent again when its bytes change).
    public static func text(of date: Date) -> String {
        // A thousandth of a millisecond absorbs the rounding of a parsed date (a few units in the last place).
        let milliseconds = (date.timeIntervalSince1970 * 1000 + 0.001).rounded(.down)
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        return whole.dropLast() + String(format: ".%03dZ", Int(milliseconds - seconds * 1000))
    }

    /// Reads a date with or without fractions of a second (a `JSONDecoder.dateDecodingStrategy`).
    public static func decode(from decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let date = try? style.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 date")
    }

    /// The encoder of state files (checkpoint and run records): pretty, keys sorted, dates to the millisecond, so
    /// a record handed on unchanged is written byte for byte as it was read.
    public static var recordEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom(encode)
        return encoder
    }

    /// The decoder of state files: dates with or without fractions of a second.
    public static var recordDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(decode)
        return decoder
    }
}
