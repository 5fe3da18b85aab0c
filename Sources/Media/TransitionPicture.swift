import CFFmpeg

/// Draws the pictures of a transition: the overlapping frames of two clips made into one, on 8-bit planar 4:2:0
/// frames of one size (what the decoders and `FrameFitter` give). Both merges (re-encoding the whole film, or only
/// the joins) draw with this, so the same transition looks the same either way.
enum TransitionPicture {
    /// Overwrites `later` (writable, same size and format as `earlier`) with picture `step` (0-based) of the
    /// `count` pictures of `kind` from `earlier` to `later`. Progress runs from 1/(count+1) to count/(count+1),
    /// so neither clip is shown whole inside the overlap.
    static func draw(_ kind: Transition.Kind, earlier: Frame, into later: Frame, step: Int, count: Int) {
        let progress = Double(step + 1) / Double(count + 1)
        let width = later.width
        let height = later.height
        let blackLuma: UInt8 = later.pointer.pointee.color_range == AVCOL_RANGE_JPEG ? 0 : 16
        for plane in 0..<3 {
            guard let a = earlier.plane(plane), let b = later.plane(plane) else { continue }
            let chroma = plane > 0
            let rows = chroma ? (height + 1) / 2 : height
            let columns = chroma ? (width + 1) / 2 : width
            let strideA = earlier.lineSize(plane)
            let strideB = later.lineSize(plane)
            // Borders and shifts move in whole chroma samples (two luma columns), so the planes stay aligned.
            let shift = Int(Double(width / 2) * progress) * (chroma ? 1 : 2)
            let black = chroma ? UInt8(128) : blackLuma
            var row = [UInt8](repeating: 0, count: columns)
            for y in 0..<rows {
                let ra = a + y * strideA
                let rb = b + y * strideB
                switch kind {
                case .crossfade:
                    mix(ra, into: rb, count: columns, weight: progress)
                case .dipToBlack:
                    if progress <= 0.5 {
                        for x in 0..<columns { rb[x] = ra[x] }
                        mix(constant: black, into: rb, count: columns, weight: progress * 2)
                    } else {
                        mix(constant: black, reversed: true, into: rb, count: columns, weight: progress * 2 - 1)
                    }
                case .wipeLeft:
                    // The border moves from the right edge to the left: the earlier clip keeps the left part.
                    for x in 0..<max(0, columns - shift) { rb[x] = ra[x] }
                case .wipeRight:
                    // The border moves from the left edge to the right: the earlier clip keeps the right part.
                    for x in min(columns, shift)..<columns { rb[x] = ra[x] }
                case .slideLeft:
                    for x in 0..<columns { row[x] = rb[x] }
                    for x in 0..<columns {
                        rb[x] = x < columns - shift ? ra[x + shift] : row[x - (columns - shift)]
                    }
                case .slideRight:
                    for x in 0..<columns { row[x] = rb[x] }
                    for x in 0..<columns {
                        rb[x] = x < shift ? row[x + columns - shift] : ra[x - shift]
                    }
                }
            }
        }
    }

    /// later = earlier * (1 - weight) + later * weight, in 1/256 steps.
    private static func mix(
        _ earlier: UnsafeMutablePointer<UInt8>, into later: UnsafeMutablePointer<UInt8>, count: Int, weight: Double
    ) {
        let w = Int(weight * 256)
        let keep = 256 - w
        for x in 0..<count {
            later[x] = UInt8(truncatingIfNeeded: (Int(earlier[x]) &* keep &+ Int(later[x]) &* w &+ 128) &>> 8)
        }
    }

    /// Mixes a flat `constant` into `row`: towards it by `weight`, or (reversed) from it by `weight`.
    private static func mix(
        constant: UInt8, reversed: Bool = false, into row: UnsafeMutablePointer<UInt8>, count: Int, weight: Double
    ) {
        let w = Int(weight * 256)
        let keep = 256 - w
        let c = Int(constant)
        for x in 0..<count {
            let value = Int(row[x])
            let mixed = reversed ? c &* keep &+ value &* w : value &* keep &+ c &* w
            row[x] = UInt8(truncatingIfNeeded: (mixed &+ 128) &>> 8)
        }
    }
}
