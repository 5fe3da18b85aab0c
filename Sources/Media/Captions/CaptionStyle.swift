/// How burned captions look: the font, its size and outline in pixels of the picture, and where they sit.
public struct CaptionStyle: Sendable, Equatable {
    /// Where the captions sit.
    public enum Position: String, Sendable, CaseIterable {
        /// Centred near the bottom edge (ASS alignment 2).
        case bottom
        /// Centred near the top edge (ASS alignment 8).
        case top
    }

    /// A font family name (`DejaVu Sans`), matched among the fonts in `fontFolder` first, then the system's.
    public var fontName: String
    /// A folder whose fonts libass loads, or nil for the system's fonts alone.
    public var fontFolder: String?
    /// Text height in pixels of the picture; nil picks 1/18 of its height (40 at 720p).
    public var size: Int?
    /// Where they sit.
    public var position: Position
    /// The black outline around each letter, in pixels.
    public var outline: Double

    /// The font Debian packages (`fonts-dejavu-core`), so captions look the same on every machine that builds the runner.
    public static let packagedFontFolder = "/usr/share/fonts/truetype/dejavu"
    /// The packaged font's family name.
    public static let packagedFontName = "DejaVu Sans"

    public init(
        fontName: String = CaptionStyle.packagedFontName, fontFolder: String? = CaptionStyle.packagedFontFolder,
        size: Int? = nil, position: Position = .bottom, outline: Double = 2
    ) {
        self.fontName = fontName
        self.fontFolder = fontFolder
        self.size = size
        self.position = position
        self.outline = outline
    }

    /// The text height for a picture `height` pixels tall.
    func pixelSize(forHeight height: Int) -> Int { size ?? max(8, height / 18) }

    /// The gap between the captions and the picture's edge, in pixels.
    func margin(forHeight height: Int) -> Int { max(4, height / 20) }
}
