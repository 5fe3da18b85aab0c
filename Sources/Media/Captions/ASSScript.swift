import Foundation

/// An Advanced SubStation Alpha script: the form libass draws (burned captions) and FFmpeg's subtitle encoders read
/// (their header, and each caption as an event).
struct ASSScript {
    let width: Int
    let height: Int
    let style: CaptionStyle

    /// `[Script Info]` and `[V4+ Styles]` for a picture `width` by `height`, with one style, `Default`.
    var header: String {
        let alignment = style.position == .top ? 8 : 2
        let size = style.pixelSize(forHeight: height)
        let margin = style.margin(forHeight: height)
        let font = style.fontName.filter { $0 != "," && !$0.isNewline }
        let outline = String(format: "%.2f", max(0, style.outline))
        return """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: \(width)
            PlayResY: \(height)
            WrapStyle: 0
            ScaledBorderAndShadow: yes
            YCbCr Matrix: None

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, \
            Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
            MarginL, MarginR, MarginV, Encoding
            Style: Default,\(font),\(size),&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,\
            \(outline),0,\(alignment),\(margin),\(margin),\(margin),1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """
    }

    /// The whole script for libass: the header and one `Dialogue` per caption, text escaped so it is drawn as written.
    func document(_ captions: [Caption]) -> String {
        var text = header
        for caption in captions {
            text += "Dialogue: 0,\(Self.time(caption.start)),\(Self.time(caption.end)),Default,,0,0,0,,"
            text += CaptionMarkup.libass(caption.text) + "\n"
        }
        return text
    }

    /// An event as FFmpeg's subtitle encoders take it in `AVSubtitleRect.ass`: `ReadOrder, Layer, Style, Name,
    /// MarginL, MarginR, MarginV, Effect, Text`, with `text` already escaped for them.
    static func encoderEvent(order: Int, text: String) -> String {
        "\(order),0,Default,,0,0,0,,\(text)"
    }

    /// `H:MM:SS.cc`, ASS's clock (centiseconds), from milliseconds; rounded to the nearest centisecond.
    static func time(_ milliseconds: Int64) -> String {
        let centiseconds = (max(0, milliseconds) + 5) / 10
        let hours = centiseconds / 360_000
        let minutes = centiseconds / 6000 % 60
        let seconds = centiseconds / 100 % 60
        return String(format: "%lld:%02lld:%02lld.%02lld", hours, minutes, seconds, centiseconds % 100)
    }
}
