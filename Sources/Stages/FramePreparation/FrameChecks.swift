import Foundation

/// Stored frames already found good, by content, so that a rerun or a second `plan` does not read them again.
///
/// An entry can only say "the frame with this digest and size passed the check of this version": a frame is never
/// refused from here, and the file is untrusted input (a missing, unreadable or foreign file, or one written by
/// another version, is read as empty, so every frame is read again). Only digests that name content (an S3 ETag:
/// `md5:` or `etag:`) are remembered; a frame known by its size alone is read every time.
public actor FrameChecks {
    /// Raised when the checks change (`PreparedImage.inspect`, `ImageLimits`), so that every frame is read again.
    static let version = "frame-check-v1"
    /// More entries than any project has frames; a longer file is not read (and is rewritten from this run).
    static let maximumEntries = 1_000_000

    /// Where the checks are kept across runs; nil: this process only.
    public nonisolated let file: URL?
    private var good: Set<String> = []
    private var loaded = false
    private var changed = false

    /// Checks kept for this process only (`file` nil), or in `file` (JSON, replaced atomically) across runs.
    public init(file: URL? = nil) {
        self.file = file
    }

    /// Whether a frame with this digest and size was found good.
    func isGood(digest: ContentDigest, size: Int64) -> Bool {
        guard let entry = Self.entry(digest: digest, size: size) else { return false }
        load()
        return good.contains(entry)
    }

    /// Remembers a frame found good.
    func remember(digest: ContentDigest, size: Int64) {
        guard let entry = Self.entry(digest: digest, size: size) else { return }
        load()
        changed = good.insert(entry).inserted || changed
    }

    /// Writes the entries when they changed. A file that cannot be written only costs the next run its reads.
    public func save() {
        guard changed, let file else { return }
        let stored = Stored(version: Self.version, good: good.sorted())
        guard let data = try? JSONEncoder().encode(stored) else { return }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(
            ".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            changed = false
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    private func load() {
        guard !loaded else { return }
        loaded = true
        guard let file, let data = try? Data(contentsOf: file),
            let stored = try? JSONDecoder().decode(Stored.self, from: data),
            stored.version == Self.version, stored.good.count <= Self.maximumEntries
        else { return }
        good.formUnion(stored.good.filter { Self.isWellFormed($0) })
    }

    /// `md5:HEX:SIZE` or `etag:TEXT:SIZE`: a digest that names content, and the size the listing gave.
    private static func entry(digest: ContentDigest, size: Int64) -> String? {
        switch digest {
        case .md5, .etag: break
        case .sha256, .size: return nil
        }
        let entry = "\(digest):\(size)"
        return isWellFormed(entry) ? entry : nil
    }

    private static func isWellFormed(_ entry: String) -> Bool {
        guard entry.count <= 300, entry.hasPrefix("md5:") || entry.hasPrefix("etag:") else { return false }
        return entry.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }
    }

    private struct Stored: Codable {
        var version: String
        var good: [String]
    }
}
