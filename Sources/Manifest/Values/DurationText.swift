/// Durations written as `500ms`, `6s`, `5m`, `24h` or `7d` (a decimal number allowed).
public enum DurationText {
    /// The duration, or nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [
            ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                number.first != ".", number.last != ".", let value = Double(number)
            else { continue }
            return .milliseconds(Int64((value * unit.milliseconds).rounded()))
        }
        return nil
    }

    /// Seconds written as a plain number (`0.5`) or a duration (`500ms`, `0.5s`), or nil when the text is neither.
    public static func seconds(_ text: String) -> Double? {
        if let number = Double(text), number.isFinite { return number }
        return parse(text).map(seconds)
    }

    /// Seconds in a duration, as a Double.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration written back in the largest whole unit: `24h`, `90s`, `1500ms`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = Int64((seconds(duration) * 1000).rounded())
        for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds >= size && milliseconds % size == 0 {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
