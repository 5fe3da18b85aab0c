/// A 5x7 pixel font for the digits 0-9, to print indexes on contact sheets without a font library.
enum BitmapDigits {
    /// Each digit: 7 rows, 5 bits each (most significant bit = leftmost pixel).
    private static let glyphs: [[UInt8]] = [
        [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],  // 0
        [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],  // 1
        [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],  // 2
        [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],  // 3
        [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],  // 4
        [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],  // 5
        [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],  // 6
        [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],  // 7
        [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],  // 8
        [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],  // 9
    ]

    static let glyphWidth = 5, glyphHeight = 7

    /// Width in pixels of `number` drawn at `scale` (one blank column between digits).
    static func width(of number: Int, scale: Int) -> Int {
        let digits = String(number).count
        return (digits * (glyphWidth + 1) - 1) * scale
    }

    /// Draws `number` with its top-left corner at (x, y), each font pixel `scale` pixels square.
    static func draw(
        _ number: Int, into image: inout RGBImage, x: Int, y: Int, scale: Int, color: (UInt8, UInt8, UInt8)
    ) {
        for (position, character) in String(number).enumerated() {
            guard let digit = character.wholeNumberValue else { continue }
            let left = x + position * (glyphWidth + 1) * scale
            for (row, bits) in glyphs[digit].enumerated() {
                for column in 0..<glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    image.fillRect(
                        x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }
}
