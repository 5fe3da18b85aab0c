/// Draws a fractional-position rectangle of one image plane into an output plane with bilinear filtering,
/// so a camera moving by less than a pixel per frame moves smoothly (no whole-pixel stepping).
struct SubpixelSampler {
    /// Samples `source` (width x height, `sourceStride`) over the rectangle (x, y, w, h) into `destination`.
    /// Separable: each source row needed is interpolated horizontally once (kept for the next output row),
    /// then output rows are blended vertically from two such rows.
    static func draw(
        source: UnsafePointer<UInt8>, sourceWidth: Int, sourceHeight: Int, sourceStride: Int,
        x: Double, y: Double, width: Double, height: Double,
        destination: UnsafeMutablePointer<UInt8>, outWidth: Int, outHeight: Int, destinationStride: Int
    ) {
        let columns = weights(start: x, span: width, count: outWidth, limit: sourceWidth)
        let rows = weights(start: y, span: height, count: outHeight, limit: sourceHeight)
        let upperRow = UnsafeMutablePointer<Int32>.allocate(capacity: outWidth)
        let lowerRow = UnsafeMutablePointer<Int32>.allocate(capacity: outWidth)
        defer {
            upperRow.deallocate()
            lowerRow.deallocate()
        }
        var upper = upperRow
        var lower = lowerRow
        var upperIndex = -1
        var lowerIndex = -1
        columns.index.withUnsafeBufferPointer { columnIndex in
            columns.fraction.withUnsafeBufferPointer { columnFraction in
                // Source row `index` interpolated at every output column, scaled by 256.
                func horizontal(_ index: Int, into line: UnsafeMutablePointer<Int32>) {
                    let row = source + index * sourceStride
                    for column in 0..<outWidth {
                        let i = columnIndex[column]
                        let a = Int32(row[i])
                        let b = Int32(row[i &+ 1])
                        line[column] = (a &<< 8) &+ (b &- a) &* Int32(truncatingIfNeeded: columnFraction[column])
                    }
                }
                for outRow in 0..<outHeight {
                    let top = rows.index[outRow]
                    if upperIndex != top {
                        if lowerIndex == top {
                            swap(&upper, &lower)
                            swap(&upperIndex, &lowerIndex)
                        } else {
                            horizontal(top, into: upper)
                            upperIndex = top
                        }
                    }
                    if lowerIndex != top + 1 {
                        horizontal(top + 1, into: lower)
                        lowerIndex = top + 1
                    }
                    let wy = Int32(truncatingIfNeeded: rows.fraction[outRow])
                    let out = destination + outRow * destinationStride
                    for column in 0..<outWidth {
                        let a = upper[column]
                        let b = lower[column]
                        out[column] = UInt8(truncatingIfNeeded: ((a &<< 8) &+ (b &- a) &* wy &+ 32768) &>> 16)
                    }
                }
            }
        }
    }

    /// For each output pixel centre, the left/top source index and the 8-bit weight of the next one.
    private static func weights(start: Double, span: Double, count: Int, limit: Int) -> (index: [Int], fraction: [Int])
    {
        var index = [Int](repeating: 0, count: count)
        var fraction = [Int](repeating: 0, count: count)
        let step = span / Double(count)
        let last = max(limit - 2, 0)
        for k in 0..<count {
            let position = min(max(start + (Double(k) + 0.5) * step - 0.5, 0), Double(limit - 1))
            var whole = Int(position.rounded(.down))
            var part = position - Double(whole)
            if whole > last {
                part += Double(whole - last)
                whole = last
            }
            index[k] = whole
            fraction[k] = Int((min(part, 1) * 256).rounded())
        }
        return (index, fraction)
    }
}
