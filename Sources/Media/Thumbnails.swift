import Dispatch
import Synchronization

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
        let sheet = compose(tiles, columns: columns, tileWidth: thumbnailWidth) { index in index + 1 }
        try PNGWriter.write(sheet, to: output)
    }

    /// The most rows a contact sheet should show; longer films are sampled evenly, first and last kept.
    public static let maxSheetRows = 100

    /// Writes one PNG with a row per frame: the frame's picture beside its clip's middle frame, each row
    /// labelled with `number` (the clip's 1-based place in the film). The page to look at before watching.
    /// Callers with more than `maxSheetRows` clips pass `sample(_:rows:)` of them, before fetching any.
    public static func framesBesideClips(_ rows: [(frame: String, clip: String, number: Int)], output: String,
                                         thumbnailWidth: Int = 240) throws(MediaError) {
        guard !rows.isEmpty else { throw .noClips }
        guard (16...2048).contains(thumbnailWidth) else {
            throw .invalidOption("A contact sheet needs a thumbnail width from 16 to 2048.")
        }
        // Two rows at a time: each is a still decode, a seek and a few dozen frames of decoding.
        let tiles = Mutex([Int: Result<(RGBImage, RGBImage), MediaError>]())
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            let row = rows[index]
            let result = Result { () throws(MediaError) -> (RGBImage, RGBImage) in
                (try RGBImage(scaling: StillImage(path: row.frame).frame, toWidth: thumbnailWidth),
                 try RGBImage(scaling: FrameGrabber.frame(of: row.clip, at: nil, preview: true), toWidth: thumbnailWidth))
            }
            tiles.withLock { $0[index] = result }
        }
        var images: [RGBImage] = []
        for index in rows.indices {
            guard let result = tiles.withLock({ $0[index] }) else { continue }
            let (frame, clip) = try result.get()
            images += [frame, clip]
        }
        let sheet = compose(images, columns: 2, tileWidth: thumbnailWidth) { index in index % 2 == 0 ? rows[index / 2].number : nil }
        try PNGWriter.write(sheet, to: output)
    }

    /// `rows` indices spread evenly over `count`, first and last included (all of them when they fit).
    public static func sample(_ count: Int, rows: Int = maxSheetRows) -> [Int] {
        guard count > rows, rows >= 2 else { return Array(0..<count) }
        return (0..<rows).map { Int((Double($0) * Double(count - 1) / Double(rows - 1)).rounded()) }
    }

    /// The size of `framesBesideClips`' sheet for tiles `tileHeight` pixels high.
    public static func sheetSize(rows: Int, columns: Int, tileWidth: Int, tileHeight: Int) -> (width: Int, height: Int) {
        (gap + columns * (tileWidth + gap), gap + rows * (tileHeight + gap))
    }

    static let gap = 8

    /// Tiles on a dark grid `columns` wide, each row as high as the tallest tile; `label` gives the number
    /// drawn in a tile's corner (nil: none).
    static func compose(_ tiles: [RGBImage], columns: Int, tileWidth: Int, label: (Int) -> Int?) -> RGBImage {
        let tileHeight = tiles.map(\.height).max() ?? 0
        let rows = (tiles.count + columns - 1) / columns
        let size = sheetSize(rows: rows, columns: min(columns, tiles.count), tileWidth: tileWidth, tileHeight: tileHeight)
        var sheet = RGBImage(width: size.width, height: size.height, fill: (32, 32, 32))
        let scale = max(2, tileWidth / 100)
        for (index, tile) in tiles.enumerated() {
            let x = gap + (index % columns) * (tileWidth + gap), y = gap + (index / columns) * (tileHeight + gap)
            sheet.draw(tile, x: x, y: y)
            guard let number = label(index) else { continue }
            let labelWidth = BitmapDigits.width(of: number, scale: scale)
            sheet.fillRect(x: x, y: y, width: labelWidth + 2 * scale, height: (BitmapDigits.glyphHeight + 2) * scale, color: (0, 0, 0))
            BitmapDigits.draw(number, into: &sheet, x: x + scale, y: y + scale, scale: scale, color: (255, 255, 255))
        }
        return sheet
    }
}
