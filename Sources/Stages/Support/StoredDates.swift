import Foundation

/// Dates in the JSON the runner stores (checkpoint records, run records): ISO 8601 to the millisecond, as events
/// write them, so a date read back is the date that was written. Whole seconds, as earlier runners wrote them, still read.
public enum StoredDates {
    /// `2026-11-30T12:49:43.700Z`.
    public static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Writes `date` to the millisecond (a `JSONEncoder.dateEncodingStrategy`).
    public static func encode(_ date: Date, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(date.formatted(style))
    }

    /// Reads a date with or without fractions of a second (a `JSONDecoder.dateDecodingStrategy`). A date read is
    /// nudged up a tenth of a millisecond: `style` truncates, and about half of the parsed milliseconds land just below
    /// their value (`.005` formats as `.004`), so a record written again would not be the bytes it was read from (a run
    /// record's webhook is sent again when its bytes change).
    public static func decode(from decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let date = try? style.parse(text) { return date.addingTimeInterval(0.0001) }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 date")
    }
}
