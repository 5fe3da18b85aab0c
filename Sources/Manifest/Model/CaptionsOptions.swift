/// Words put into a film (`type: captions`): from a subtitle file or one line per clip, as a soft subtitle track or
/// burned into the picture.
public struct CaptionsOptions: Sendable {
    /// Where the captions come from.
    public enum Source: Sendable {
        /// A SubRip (`.srt`) or WebVTT (`.vtt`) file: a path (resolved against the manifest's folder) or an S3 object.
        case file(Location)
        /// One caption per clip, by the name of the frame the clip was made from.
        case lines([CaptionLine])
    }

    public var source: Source
    /// The language of the words, written into the subtitle track (and kept in the key when burned).
    public var language: LanguageTag
    /// When set, the captions are drawn into the picture (a re-encode) instead of added as a track.
    public var burn: BurnOptions?

    public init(source: Source, language: LanguageTag = .undetermined, burn: BurnOptions? = nil) {
        self.source = source
        self.language = language
        self.burn = burn
    }

    /// The subtitle file's format, from its extension.
    public enum FileFormat: String, Sendable, CaseIterable {
        case srt, vtt

        /// The format `location`'s name ends in (case ignored), or nil.
        public init?(of location: Location) {
            guard let ext = location.fileExtension?.lowercased(), let format = FileFormat(rawValue: ext) else {
                return nil
            }
            self = format
        }
    }
}

/// A caption shown for the span of each clip made from a frame whose file name `match` matches.
public struct CaptionLine: Sendable, Equatable {
    /// A glob on the frame's file name (case ignored).
    public var match: String
    /// What the caption says; `\n` breaks a line.
    public var text: String
    /// Where the entry is in the manifest, for messages (a glob that matches no clip).
    public var position: SourcePosition

    /// The most text one caption may hold, in UTF-8 bytes (the same limit as a subtitle file's cue).
    public static let maximumTextBytes = 4096

    public init(match: String, text: String, position: SourcePosition) {
        self.match = match
        self.text = text
        self.position = position
    }
}

/// How burned captions look.
public struct BurnOptions: Sendable, Equatable {
    /// A font: a family name the system knows, or a font file.
    public enum Font: Sendable, Equatable {
        case name(String)
        /// A `.ttf`, `.otf` or `.ttc` file: a path (resolved against the manifest's folder) or an S3 object.
        case file(Location)
    }

    /// Nil: the packaged DejaVu Sans.
    public var font: Font?
    /// Text height in pixels of the picture; nil: 1/18 of the picture's height.
    public var size: Int?
    public var position: CaptionPosition
    /// The black outline around the letters, in pixels.
    public var outline: Double

    public init(font: Font? = nil, size: Int? = nil, position: CaptionPosition = .bottom, outline: Double = 2) {
        self.font = font
        self.size = size
        self.position = position
        self.outline = outline
    }

    /// The extensions of the font files libass reads.
    public static let fontExtensions: Set<String> = ["ttf", "otf", "ttc"]
}

/// Where burned captions sit.
public enum CaptionPosition: String, Sendable, CaseIterable, Codable {
    case bottom, top
}
