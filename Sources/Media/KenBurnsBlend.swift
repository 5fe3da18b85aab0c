/// Mixes two YUV 4:2:0 pictures of one size, plane by plane (a dissolve).
enum KenBurnsBlend {
    /// `output = output * (256 - weight) / 256 + other * weight / 256`, rounded; `weight` 256 copies `other` exactly.
    static func mix(_ other: Frame, weight: Int, into output: Frame) {
        guard weight > 0 else { return }
        for plane in 0..<3 {
            let shift = plane == 0 ? 0 : 1
            guard let target = output.plane(plane), let source = other.plane(plane) else { continue }
            let width = output.width >> shift
            let height = output.height >> shift
            let targetStride = output.lineSize(plane)
            let sourceStride = other.lineSize(plane)
            for row in 0..<height {
                let to = target + row * targetStride
                let from = source + row * sourceStride
                if weight >= 256 {
                    to.update(from: from, count: width)
                    continue
                }
                for column in 0..<width {
                    let mixed = Int(to[column]) * (256 - weight) + Int(from[column]) * weight + 128
                    to[column] = UInt8(truncatingIfNeeded: mixed >> 8)
                }
            }
        }
    }
}
