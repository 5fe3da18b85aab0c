import Foundation
import Manifest
import Media
import Storage

/// The frames stage's enumeration: the images under a prefix of any store, filtered and ordered.
public enum FrameListing {
    /// One image found under the prefix.
    public struct Frame: Sendable, Equatable, Codable {
        /// The key in the store.
        public let key: String
        /// The key relative to the listed prefix (what include globs match).
        public let name: String
        public let size: Int64
        public let modified: Date?
        /// S3's ETag as listed; nil for local files.
        public let etag: String?

        /// A frame.
        public init(key: String, name: String, size: Int64, modified: Date?, etag: String? = nil) {
            self.key = key
            self.name = name
            self.size = size
            self.modified = modified
            self.etag = etag
        }
    }

    /// A file under the prefix that is not taken as a frame, and why (every listing names them).
    public struct Skipped: Sendable, Equatable, Codable {
        /// The key in the store.
        public let key: String
        /// The key relative to the listed prefix.
        public let name: String
        /// Why it is not a frame, a phrase ("an AppleDouble file macOS writes beside ...").
        public let reason: String

        /// A skipped file.
        public init(key: String, name: String, reason: String) {
            self.key = key
            self.name = name
            self.reason = reason
        }
    }

    /// What a listing found: the frames in order, and every other file with the reason it was left out.
    public struct Listing: Sendable, Equatable {
        public var frames: [Frame]
        public var skipped: [Skipped]

        /// The listing as a pipeline takes it: a frame whose name the frames stage refuses (`FrameName.refusal`: a
        /// backslash, a `..` segment...) is moved to `skipped` with that reason, so that a listing never offers a
        /// frame a run would refuse.
        public var refusingUnusableNames: Listing {
            var kept = Listing(frames: [], skipped: skipped)
            for frame in frames {
                if let refusal = FrameName.refusal(frame.name) {
                    kept.skipped.append(Skipped(key: frame.key, name: frame.name, reason: refusal))
                } else {
                    kept.frames.append(frame)
                }
            }
            return kept
        }
    }

    /// Extensions taken as images, compared without regard to case.
    public static let imageExtensions: Set<String> = ImageFormat.fileExtensions

    /// The images under `prefix` (a folder: a `/` is added if missing and the prefix is not empty),
    /// kept when their relative name matches any of the `include` globs (case-insensitive, as
    /// the manifest's globs; all when empty), in `order`.
    public static func frames(
        in store: any ObjectStore, prefix: String, include: [String] = [],
        order: FrameOrder = .natural
    ) async throws(StorageError) -> [Frame] {
        try await listing(in: store, prefix: prefix, include: include, order: order).frames
    }

    /// The frames under `prefix`, as `frames(in:...)`, and every other file with the reason it is not one
    /// (`skipReason`), in key order.
    public static func listing(
        in store: any ObjectStore, prefix: String, include: [String] = [],
        order: FrameOrder = .natural
    ) async throws(StorageError) -> Listing {
        let folder = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        let globs = include.map(Glob.init)
        var frames: [Frame] = []
        var skipped: [Skipped] = []
        for try await object in store.list(prefix: folder) {
            let name = String(object.key.dropFirst(folder.count))
            // A key ending in "/" is a folder marker some tools write, not a file.
            guard !name.isEmpty, !name.hasSuffix("/") else { continue }
            if let reason = skipReason(name, globs: globs) {
                skipped.append(Skipped(key: object.key, name: name, reason: reason))
                continue
            }
            frames.append(
                Frame(key: object.key, name: name, size: object.size, modified: object.lastModified, etag: object.etag))
        }
        return Listing(frames: sorted(frames, by: order), skipped: skipped)
    }

    /// Why a file is not a frame, or nil when it is one. Sidecar files that operating systems and archivers leave
    /// beside pictures come first: they often carry an image extension (`._IMG_0001.JPG`) but hold no picture.
    public static func skipReason(_ name: String, globs: [Glob] = []) -> String? {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        let base = segments.last.map(String.init) ?? name
        if segments.dropLast().contains(where: { $0 == "__MACOSX" }) {
            return "inside __MACOSX/, the resource copies macOS adds to a zip archive: not a frame"
        }
        if base.hasPrefix("._") {
            return "an AppleDouble file (._*), the metadata macOS writes beside a file on a non-Mac disk: not a frame"
        }
        switch base.lowercased() {
        case ".ds_store": return "a macOS folder settings file (.DS_Store): not a frame"
        case "thumbs.db": return "a Windows thumbnail cache (Thumbs.db): not a frame"
        case "desktop.ini": return "a Windows folder settings file (desktop.ini): not a frame"
        default: break
        }
        // `.` and `..` segments are not hidden names: the frames stage refuses them for their name (`FrameName`).
        if segments.contains(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." }) {
            return "hidden (its name or a folder's starts with a dot): not a frame"
        }
        guard isImage(name) else {
            return "not an image type the runner reads (\(imageExtensions.sorted().joined(separator: ", ")))"
        }
        guard globs.isEmpty || globs.contains(where: { $0.matches(name) }) else {
            return "matches no `include` pattern"
        }
        return nil
    }

    /// Whether a name has an image extension, in any case.
    public static func isImage(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), !name[name.index(after: dot)...].contains("/") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Frames in `order`; ties in modification time fall back to natural order.
    public static func sorted(_ frames: [Frame], by order: FrameOrder) -> [Frame] {
        switch order {
        case .lexical:
            return frames.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        case .natural:
            return frames.sorted { NaturalOrder.precedes($0.name, $1.name) }
        case .modified:
            return frames.sorted { lhs, rhs in
                let left = lhs.modified ?? .distantPast
                let right = rhs.modified ?? .distantPast
                return left != right ? left < right : NaturalOrder.precedes(lhs.name, rhs.name)
            }
        }
    }
}
