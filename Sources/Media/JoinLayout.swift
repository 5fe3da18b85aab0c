/// Where a film's clips lie when joins overlap (pure: no I/O). Join *i* comes after clip *i*; a join with a
/// transition overlaps the last frames of its earlier clip with the first frames of its later one, so the film
/// has the clips' frames minus the overlaps, and clip *i* starts at the sum of the earlier clips' frames minus
/// the earlier overlaps.
struct JoinLayout: Equatable {
    /// Frames of each clip.
    let frameCounts: [Int]
    /// Frames each join overlaps (0: none); one fewer than the clips.
    let overlaps: [Int]
    /// What each join's overlapping frames show.
    let kinds: [Transition.Kind]

    /// The layout of clips of `frameCounts` frames at `fps` with the transitions of `options`; `paths` name the
    /// clips in errors. Throws when a transition is longer than a clip it touches can give.
    init(frameCounts: [Int], fps: Double, options: MergeOptions, paths: [String]) throws(MediaError) {
        self.frameCounts = frameCounts
        let joins = (0..<max(0, frameCounts.count - 1)).map { options.transition(after: $0) }
        overlaps = joins.map { $0.map { max(1, Int(($0.seconds * fps).rounded())) } ?? 0 }
        kinds = joins.map { $0?.kind ?? .crossfade }
        for (index, count) in frameCounts.enumerated() {
            let needed = overlapBefore(index) + overlapAfter(index)
            guard count < needed else { continue }
            let touching = [index > 0 ? joins[index - 1] : nil, index < joins.count ? joins[index] : nil]
                .compactMap { $0?.summary }
            let which = touching.count == 2 ? "transitions before and after" : "transition at"
            let verb = touching.count == 2 ? "need" : "needs"
            throw .invalidOption(
                "The \(which) clip \(index + 1) '\(paths[index])' (\(touching.joined(separator: ", "))) \(verb) \(needed) "
                    + "frames, and it has \(count) (\(String(format: "%.2f", Double(count) / fps)) s): use a shorter transition."
            )
        }
    }

    func overlapBefore(_ clip: Int) -> Int { clip > 0 ? overlaps[clip - 1] : 0 }
    func overlapAfter(_ clip: Int) -> Int { clip < overlaps.count ? overlaps[clip] : 0 }

    /// The film frame at which each clip starts.
    var starts: [Int] {
        var starts: [Int] = []
        var at = 0
        for (index, count) in frameCounts.enumerated() {
            starts.append(at)
            at += count - overlapAfter(index)
        }
        return starts
    }

    /// Frames in the film.
    var filmFrames: Int { frameCounts.reduce(0, +) - overlaps.reduce(0, +) }

    /// The parts of a clip in a join merge: frames `0..<headEnd` and `tailStart..<frameCount` are decoded (and the
    /// overlapping ones drawn as the transition), the groups of pictures between are copied.
    struct ClipParts: Equatable {
        var headEnd: Int
        var tailStart: Int
        var copies: Bool { headEnd < tailStart }
    }

    /// Each clip's parts given its groups' first frames (`groupStarts[i]`, ascending from 0): decoding runs from the
    /// last group start at or before a transition to the first group start after it; a clip whose decoded ends
    /// meet is decoded whole.
    func parts(groupStarts: [[Int]]) -> [ClipParts] {
        frameCounts.enumerated().map { index, count in
            let before = overlapBefore(index)
            let after = overlapAfter(index)
            let starts = groupStarts[index]
            let headEnd = before == 0 ? 0 : (starts.first { $0 >= before } ?? count)
            let tailStart = after == 0 ? count : (starts.last { $0 <= count - after } ?? 0)
            return headEnd < tailStart
                ? ClipParts(headEnd: headEnd, tailStart: tailStart) : ClipParts(headEnd: count, tailStart: count)
        }
    }

    /// The film frames that `parts` re-encode, as ascending, separate ranges.
    func reencodedFrames(_ parts: [ClipParts]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for (index, (part, start)) in zip(parts, starts).enumerated() {
            let count = frameCounts[index]
            for range in [start..<start + part.headEnd, start + part.tailStart..<start + count] where !range.isEmpty {
                if let last = ranges.last, last.upperBound >= range.lowerBound {
                    ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
                } else {
                    ranges.append(range)
                }
            }
        }
        return ranges
    }
}
