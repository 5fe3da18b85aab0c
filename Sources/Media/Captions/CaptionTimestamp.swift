/// The timestamps of subtitle files, in milliseconds: SubRip's `HH:MM:SS,mmm` and WebVTT's `[HH:]MM:SS.mmm`.
enum CaptionTimestamp {
    /// Which file's rules.
    enum Style {
        /// `00:01:02,500`: hours, minutes, seconds, a comma (a full stop is taken too, as players do) and 3 digits.
        case subRip
        /// `01:02.500` or `00:01:02.500`: hours optional (2 digits or more), a full stop and 3 digits.
        case webVTT

        var example: String { self == .subRip ? "00:01:02,500" : "00:01:02.500" }
    }

    /// The milliseconds `text` says, or why it cannot be read.
    static func parse(_ text: Substring, style: Style) -> Result<Int64, TimestampProblem> {
        let separators: Set<Character> = style == .subRip ? [",", "."] : ["."]
        guard let dot = text.lastIndex(where: { separators.contains($0) }) else {
            return .failure(TimestampProblem("has no milliseconds; write \(style.example)"))
        }
        let fraction = text[text.index(after: dot)...]
        let clock = text[..<dot].split(separator: ":", omittingEmptySubsequences: false)
        guard fraction.count == 3, fraction.allSatisfy(\.isASCIIDigit) else {
            return .failure(TimestampProblem("needs exactly 3 digits of milliseconds; write \(style.example)"))
        }
        let allowed = style == .subRip ? 3...3 : 2...3
        guard allowed.contains(clock.count), clock.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
            return .failure(TimestampProblem("is not a time of the form \(style.example)"))
        }
        let minutes = clock[clock.count - 2]
        let seconds = clock[clock.count - 1]
        guard minutes.count == 2, seconds.count == 2 else {
            return .failure(TimestampProblem("needs two digits each for minutes and seconds; write \(style.example)"))
        }
        let hours = clock.count == 3 ? clock[0] : "0"
        guard hours.count <= 6, let h = Int64(hours), let m = Int64(minutes), let s = Int64(seconds),
            let ms = Int64(fraction)
        else {
            return .failure(TimestampProblem("is out of range; write \(style.example)"))
        }
        if style == .webVTT, clock.count == 3, hours.count < 2 {
            return .failure(TimestampProblem("needs at least two digits of hours; write \(style.example)"))
        }
        guard m < 60, s < 60 else {
            return .failure(TimestampProblem("has \(m < 60 ? "seconds" : "minutes") of 60 or more"))
        }
        return .success(((h * 60 + m) * 60 + s) * 1000 + ms)
    }

    /// Why a timestamp cannot be read.
    struct TimestampProblem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

extension Character {
    /// `0` to `9` only (not the other scripts' digits `isNumber` takes).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
