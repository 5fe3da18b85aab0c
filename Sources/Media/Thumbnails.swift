import Dispatch
import Synchronization

/// Still pictures of clips: one frame as a PNG, or a contact sheet of many clips with their index.
public enum Thumbnails {
    /// Writes the frame of `video` at `seconds` as a PNG `width` pixels wide (aspect kept).
    public static func frame(of video: String, at seconds: Double, width: Int, output: String) throws(MediaError) {
        guard (8...8192).contains(width) else {
            throw .invalidOption("Thumbnail width \(width) is out of range: give 8 to 8192.")
        }
        let picture = try RGBImage(scaling: FrameGrabber.frame(of: video, at: seconds), toWidth: width)
        try PNGWriter.write(picture, to: output)
    }

    /// Writes one PNG with a grid of thumbnails (`columns` wide), one per video taken at its middle
    /// (or at `seconds` when given), each labelled with its 1-based index.
    public static func contactSheet(
        of videos: [String], output: String, columns: Int = 4, thumbnailWidth: Int = 320,
        at seconds: Double? = nil
    ) throws(MediaError) {
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
    public static func framesBesideClips(
        _ rows: [(frame: String, clip: String, number: Int)], output: String,
        thumbnailWidth: Int = 240
    ) throws(MediaError) {
        guard !rows.isEmpty else { throw .noClips }
        try checkSheetWidth(thumbnailWidth)
        // Two rows at a time: each is a still decode, a seek and a few dozen frames of decoding.
        let tiles = Mutex([Int: Result<SheetRow, MediaError>]())
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            let row = rows[index]
            let result = Result { () throws(MediaError) -> SheetRow in
                try SheetRow(frame: row.frame, clip: row.clip, number: row.number, thumbnailWidth: thumbnailWidth)
            }
            tiles.withLock { $0[index] = result }
        }
        var made: [SheetRow] = []
        for index in rows.indices {
            guard let result = tiles.withLock({ $0[index] }) else { continue }
            made.append(try result.get())
        }
        try framesBesideClips(made, output: output)
    }

    /// One row of `framesBesideClips`' sheet, made ahead (as each clip lands) so the sheet is only composed at the end.
    public struct SheetRow: Sendable {
        let frame: RGBImage, clip: RGBImage
        public let number: Int
        public let thumbnailWidth: Int

        /// The row of the frame at `frame` beside the middle frame of the clip at `clip`, labelled `number`.
        public init(frame: String, clip: String, number: Int, thumbnailWidth: Int = 240) throws(MediaError) {
            try Thumbnails.checkSheetWidth(thumbnailWidth)
            self.frame = try RGBImage(scaling: StillImage(path: frame).frame, toWidth: thumbnailWidth)
            self.clip = try RGBImage(
                scaling: FrameGrabber.frame(of: clip, at: nil, preview: true), toWidth: thumbnailWidth)
            self.number = number
            self.thumbnailWidth = thumbnailWidth
        }
    }

    /// Writes the sheet of rows made ahead, in the order given: the same picture `framesBesideClips` makes of
    /// the same frames and clips.
    public static func framesBesideClips(_ rows: [SheetRow], output: String) throws(MediaError) {
        guard let width = rows.first?.thumbnailWidth else { throw .noClips }
        guard rows.allSatisfy({ $0.thumbnailWidth == width }) else {
            throw .invalidOption("The rows of a sheet differ in width.")
        }
        let images = rows.flatMap { [$0.frame, $0.clip] }
        let sheet = compose(images, columns: 2, tileWidth: width) { index in
            index % 2 == 0 ? rows[index / 2].number : nil
        }
        try PNGWriter.write(sheet, to: output, fast: true)
    }

    static func checkSheetWidth(_ thumbnailWidth: Int) throws(MediaError) {
        guard (16...2048).contains(thumbnailWidth) else {
            throw .invalidOption("A contact sheet needs a thumbnail width from 16 to 2048.")
        }
    }

    /// `rows` indices spread evenly over `count`, first and last included (all of them when they fit).
    public static func sample(_ count: Int, rows: Int = maxSheetRows) -> [Int] {
        guard count > rows, rows >= 2 else { return Array(0..<count) }
        return (0..<rows).map { Int((Double($0) * Double(count - 1) / Double(rows - 1)).rounded()) }
    }

    /// The size of `framesBesideClips`' sheet for tiles `tileHeight` pixels high.
    public static func sheetSize(rows: Int, columns: Int, tileWidth: Int, tileHeight: Int) -> (width: Int, height: Int)
    {
        (gap + columns * (tileWidth + gap), gap + rows * (tileHeight + gap))
    }

    static let gap = 8

    /// Tiles on a dark grid `columns` wide, each row as high as the tallest tile; `label` gives the number
    /// drawn in a tile's corner (nil: none).
    static func compose(_ tiles: [RGBImage], columns: Int, tileWidth: Int, label: (Int) -> Int?) -> RGBImage {
        let tileHeight = tiles.map(\.height).max() ?? 0
        let rows = (tiles.count + columns - 1) / columns
        let size = sheetSize(
            rows: rows, columns: min(columns, tiles.count), tileWidth: tileWidth, tileHeight: tileHeight)
        var sheet = RGBImage(width: size.width, height: size.height, fill: (32, 32, 32))
        let scale = max(2, tileWidth / 100)
        for (index, tile) in tiles.enumerated() {
            let x = gap + (index % columns) * (tileWidth + gap)
            let y = gap + (index / columns) * (tileHeight + gap)
            sheet.draw(tile, x: x, y: y)
            guard let number = label(index) else { continue }
            let labelWidth = BitmapDigits.width(of: number, scale: scale)
            sheet.fillRect(
                x: x, y: y, width: labelWidth + 2 * scale, height: (BitmapDigits.glyphHeight + 2) * scale,
                color: (0, 0, 0))
            BitmapDigits.draw(number, into: &sheet, x: x + scale, y: y + scale, scale: scale, color: (255, 255, 255))
        }
        return sheet
    }
}
