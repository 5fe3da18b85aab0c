/// "Natural" name order: runs of digits compare as numbers, so `frame_2` comes before `frame_10`.
public enum NaturalOrder {
    /// Whether `lhs` sorts before `rhs`; names equal by value (`a01`, `a1`) fall back to byte order.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if isDigit(left[i]) && isDigit(right[j]) {
                let leftEnd = runEnd(left, from: i)
                let rightEnd = runEnd(right, from: j)
                // Compare the numbers without converting (runs can exceed Int): strip leading zeros,
                // then the longer run is larger, then digit by digit.
                let leftDigits = left[i..<leftEnd].drop { $0 == UInt8(ascii: "0") }
                let rightDigits = right[j..<rightEnd].drop { $0 == UInt8(ascii: "0") }
                if leftDigits.count != rightDigits.count { return leftDigits.count < rightDigits.count }
                if !leftDigits.elementsEqual(rightDigits) { return leftDigits.lexicographicallyPrecedes(rightDigits) }
                i = leftEnd
                j = rightEnd
            } else {
                if left[i] != right[j] { return left[i] < right[j] }
                i += 1
                j += 1
            }
        }
        if left.count - i != right.count - j { return left.count - i < right.count - j }
        return left.lexicographicallyPrecedes(right)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func runEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        return end
    }
}
