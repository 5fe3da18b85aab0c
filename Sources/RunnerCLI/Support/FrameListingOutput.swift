import Foundation
import Manifest
import Stages

/// The text and JSON forms of a frame listing.
enum FrameListingOutput {
    struct Entry: Encodable {
        let location: String
        let name: String
        let size: Int64
        let modified: String?
    }

    struct SkippedEntry: Encodable {
        let location: String
        let name: String
        let reason: String
    }

    /// The JSON document: every frame, and every file left out with its reason.
    struct Document: Encodable {
        let frames: [Entry]
        let skipped: [SkippedEntry]
    }

    /// The listing for stdout (frames; in JSON, the whole document) and for stderr (the skipped files, in text).
    static func render(_ listing: FrameListing.Listing, root: String, format json: Bool) -> (
        frames: String, skipped: String
    ) {
        let dates = Date.ISO8601FormatStyle()
        let base = root.hasSuffix("/") ? root : root + "/"
        let entries = listing.frames.map {
            Entry(location: base + $0.key, name: $0.name, size: $0.size, modified: $0.modified.map { dates.format($0) })
        }
        let skipped = listing.skipped.map { SkippedEntry(location: base + $0.key, name: $0.name, reason: $0.reason) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let document = Document(frames: entries, skipped: skipped)
            return ((try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}", "")
        }
        // Names come from other people's folders and buckets: printed inert (docs/security.md).
        return (
            entries.map { "\($0.size)\t\($0.modified ?? "-")\t\(InertText.escaped($0.location))" }.joined(
                separator: "\n"),
            skipped.map { "skipped \(InertText.escaped($0.location)): \($0.reason)" }.joined(separator: "\n")
        )
    }
}
