import Foundation
import Manifest

/// Text a server wrote (an error message, a task's failure, a redirect's target), made safe to print, store in a
/// record or send in an event (docs/security.md): servers may answer anything, including the request's own
/// headers echoed back, escape sequences, or a megabyte of text.
public enum ServerText {
    /// Longer text is cut here: an error message worth reading is a sentence or two.
    public static let limit = 1000

    /// `text` with every known secret value replaced by `<redacted>` (also where the server percent-encoded it,
    /// as an echoed request path is), control characters escaped, and cut at `limit` characters.
    public static func inert(_ text: String, secrets: SecretValues) -> String {
        var text = secrets.scrub(text)
        if text.contains("%"), let decoded = text.removingPercentEncoding, secrets.occurs(in: decoded) {
            text = secrets.scrub(decoded)
        }
        if text.count > limit { text = String(text.prefix(limit)) + "..." }
        return InertText.escaped(text)
    }
}
