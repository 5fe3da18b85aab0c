/// A shell-style pattern on file names: `*` any run (across `/` too), `?` one character, `[abc]` a set.
///
/// Matching ignores case, because people expect `*.jpg` to take `IMG_0001.JPG` from a camera.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let scalars: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.lowercased())
    }

    /// Whether the whole name matches, ignoring case.
    public func matches(_ name: String) -> Bool {
        let text = Array(name.lowercased())
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < scalars.count, scalars[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if p < scalars.count, let width = matchOne(at: p, text[t]) {
                p += width
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < scalars.count, scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }

    /// If the pattern element at `p` matches `character`, how many pattern characters it spans.
    private func matchOne(at p: Int, _ character: Character) -> Int? {
        switch scalars[p] {
        case "?":
            return 1
        case "[":
            guard let close = scalars[(p + 1)...].firstIndex(of: "]"), close > p + 1 else {
                return character == "[" ? 1 : nil
            }
            var set = Array(scalars[(p + 1)..<close])
            let negated = set.first == "!" || set.first == "^"
            if negated { set.removeFirst() }
            var found = false
            var index = 0
            while index < set.count {
                if index + 2 < set.count, set[index + 1] == "-" {
                    if set[index] <= character && character <= set[index + 2] { found = true }
                    index += 3
                } else {
                    if set[index] == character { found = true }
                    index += 1
                }
            }
            return found != negated ? close - p + 1 : nil
        default:
            return scalars[p] == character ? 1 : nil
        }
    }
}
