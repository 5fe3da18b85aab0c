import Foundation

/// The two forms of a signing time SigV4 uses: `YYYYMMDD` for the scope and `YYYYMMDD'T'HHMMSS'Z'` for `X-Amz-Date`.
public struct SigV4Timestamp: Sendable, Equatable {
    /// `YYYYMMDD` in UTC.
    public let day: String
    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    public let dateTime: String

    /// The UTC forms of `date`.
    public init(_ date: Date) {
        // gmtime_r is thread-safe and avoids a shared DateFormatter.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        day = "\(parts.tm_year + 1900)" + two(parts.tm_mon + 1) + two(parts.tm_mday)
        dateTime = day + "T" + two(parts.tm_hour) + two(parts.tm_min) + two(parts.tm_sec) + "Z"
    }
}
