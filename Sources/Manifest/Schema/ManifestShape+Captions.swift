/// The `captions` stage's keys (issue #19).
extension ManifestShape {
    static let captionLine = ObjectShape(
        "A caption shown for the span of each clip made from a frame whose file name `match` matches.",
        [
            Field(
                "match", .text(.glob), required: true, example: "\"frame_03_*\"",
                "A glob on the frame's file name, such as `frame_03_*` (case is ignored); it must match a clip of the film."
            ),
            Field(
                "text", .text(.template), required: true, example: "The harbour at dawn",
                "What the caption says, shown as written (no markup); a line break starts a new line."),
        ])

    static let burn = ObjectShape(
        "Captions drawn into the picture instead of a subtitle track: the picture is re-encoded.",
        [
            Field(
                "font", .text(.template), default: "DejaVu Sans (packaged)", example: "./fonts/Brand.ttf",
                "A font family name the system knows, or a `.ttf`/`.otf`/`.ttc` file in the project or on S3."),
            Field(
                "size", .integer(min: 8, max: 400), default: "1/18 of the picture's height (40 at 720p)",
                example: "48", "The text height, in pixels of the picture."),
            Field(
                "position", .choice(CaptionPosition.allCases.map(\.rawValue)), default: "bottom", example: "top",
                "Centred near the `bottom` or the `top` edge."),
            Field(
                "outline", .number(min: 0, max: 20), default: "2", example: "3",
                "The black outline around the letters, in pixels."),
        ])

    static let captions = ObjectShape(
        "Words put into the film it needs: a soft subtitle track (mov_text in MP4, WebVTT in WebM), or burned in.",
        [
            type,
            needs,
            Field(
                "from", .text(.location), example: "./captions/en.srt",
                "A SubRip (`.srt`) or WebVTT (`.vtt`) file in the project or on S3; give `from` or `lines`."),
            Field(
                "lines", .list(.object(captionLine)), example: "[{ match: \"frame_01_*\", text: \"Dawn\" }]",
                "One caption per clip, placed at the span of the clip made from the matching frame."),
            Field(
                "language", .text(.template), default: "und", example: "pt-BR",
                "The words' language, a BCP 47 tag; written into the track (as ISO 639-2)."),
            Field(
                "burn", .object(burn), example: "{ position: top, size: 48 }",
                "Draw the captions into the picture (a re-encode with libx264, which `plan` shows) instead of a track."),
        ])
}
