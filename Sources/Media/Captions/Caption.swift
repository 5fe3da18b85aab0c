/// One caption: plain text shown from `start` to `end`, in milliseconds from the film's start.
///
/// The text is what a viewer reads, lines separated by `\n`: nothing in it is markup (subtitle files' own tags are
/// removed by their parsers, and every writer escapes what its format would read as markup).
public struct Caption: Sendable, Equatable {
    /// When it appears, in milliseconds.
    public var start: Int64
    /// When it goes, in milliseconds; after `start`.
    public var end: Int64
    /// The text, lines separated by `\n`.
    public var text: String

    public init(start: Int64, end: Int64, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }

    /// The most text one caption may hold, in UTF-8 bytes: a mov_text sample stores its length in 16 bits, and no
    /// one reads more than a few lines at once.
    public static let maximumTextBytes = 4096

    /// Captions in time order that never overlap: where captions overlap, the span they share shows their texts
    /// one under the other (a soft subtitle track shows one sample at a time).
    public static func sequential(_ captions: [Caption]) -> [Caption] {
        let sorted = captions.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
            .map(\.element)
        var bounds = Set<Int64>()
        for caption in sorted {
            bounds.insert(caption.start)
            bounds.insert(caption.end)
        }
        let edges = bounds.sorted()
        var result: [Caption] = []
        // A sweep over the edges: the captions shown between two edges are those started and not yet ended.
        var shown: [Caption] = []
        var next = 0
        for (start, end) in zip(edges, edges.dropFirst()) {
            shown.removeAll { $0.end <= start }
            while next < sorted.count, sorted[next].start <= start {
                shown.append(sorted[next])
                next += 1
            }
            guard !shown.isEmpty else { continue }
            let text = shown.map(\.text).joined(separator: "\n")
            if let last = result.last, last.end == start, last.text == text {
                result[result.count - 1].end = end
            } else {
                result.append(Caption(start: start, end: end, text: text))
            }
        }
        return result
    }
}
