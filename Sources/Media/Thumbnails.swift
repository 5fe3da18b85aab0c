/// Still pictures of clips: one frame as a PNG, or a contact sheet of many clips with their index.
public enum Thumbnails {
    /// Writes the frame of `video` at `seconds` as a PNG `width` pixels wide (aspect kept).
    public static func frame(of video: String, at seconds: Double, width: Int, output: String) throws(MediaError) {
        guard (8...8192).contains(width) else { throw .invalidOption("Thumbnail width \(width) is out of range: give 8 to 8192.") }
        let picture = try RGBImage(scaling: FrameGrabber.frame(of: video, at: seconds), toWidth: width)
        try PNGWriter.write(picture, to: output)
    }

    /// Writes one PNG with a grid of thumbnails (`columns` wide), one per video taken at its middle
    /// (or at `seconds` when given), each labelled with its 1-based index.
    public static func contactSheet(of videos: [String], output: String, columns: Int = 4, thumbnailWidth: Int = 320,
                                    at seconds: Double? = nil) throws(MediaError) {
        guard !videos.isEmpty else { throw .noClips }
        guard columns >= 1, (16...2048).contains(thumbnailWidth) else {
            throw .invalidOption("A contact sheet needs at least 1 column and a thumbnail width from 16 to 2048.")
        }
        var tiles: [RGBImage] = []
        for video in videos {
            let time: Double
            if let seconds { time = seconds } else { time = try MediaProbe.probe(path: video).duration / 2 }
            tiles.append(try RGBImage(scaling: FrameGrabber.frame(of: video, at: time), toWidth: thumbnailWidth))
        }
        let gap = 8
        let tileHeight = tiles.map(\.height).max() ?? 0
        let rows = (tiles.count + columns - 1) / columns
        let usedColumns = min(columns, tiles.count)
        var sheet = RGBImage(width: gap + usedColumns * (thumbnailWidth + gap), height: gap + rows * (tileHeight + gap), fill: (32, 32, 32))
        let scale = max(2, thumbnailWidth / 100)
        for (index, tile) in tiles.enumerated() {
            let x = gap + (index % columns) * (thumbnailWidth + gap), y = gap + (index / columns) * (tileHeight + gap)
            sheet.draw(tile, x: x, y: y)
            let labelWidth = BitmapDigits.width(of: index + 1, scale: scale)
            sheet.fillRect(x: x, y: y, width: labelWidth + 2 * scale, height: (BitmapDigits.glyphHeight + 2) * scale, color: (0, 0, 0))
            BitmapDigits.draw(index + 1, into: &sheet, x: x + scale, y: y + scale, scale: scale, color: (255, 255, 255))
        }
        try PNGWriter.write(sheet, to: output)
    }
}
