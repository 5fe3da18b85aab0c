/// A manifest's text with an index of its lines, to turn offsets into positions and back.
struct SourceText: Sendable {
    let file: String
    let scalars: [Unicode.Scalar]
    /// The scalar offset at which each line starts; line N (1-based) starts at `lineStarts[N - 1]`.
    let lineStarts: [Int]

    init(file: String, text: String) {
        self.file = file
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\r" {
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                starts.append(index + 1)
            } else if scalar == "\n" {
                starts.append(index + 1)
            }
            index += 1
        }
        lineStarts = starts
    }

    /// The position of a scalar offset.
    func position(ofOffset offset: Int) -> SourcePosition {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return SourcePosition(file: file, line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The scalar offset of a 1-based line and column, clamped to the text.
    func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return scalars.count }
        return min(lineStarts[line - 1] + max(column - 1, 0), scalars.count)
    }

    /// The position at a 1-based line and column.
    func position(line: Int, column: Int) -> SourcePosition {
        SourcePosition(file: file, line: line, column: column)
    }

    /// The text of a 1-based line, without its line break.
    func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : scalars.count
        while end > start, scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return Substring(String(view))
    }

    /// The offsets at which `needle` occurs, searching from `start`.
    func occurrences(of needle: [Unicode.Scalar], from start: Int, limit: Int) -> [Int] {
        guard !needle.isEmpty else { return [] }
        var found: [Int] = []
        var index = max(start, 0)
        while index + needle.count <= scalars.count, found.count < limit {
            if scalars[index] == needle[0], Array(scalars[index..<(index + needle.count)]) == needle {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}
