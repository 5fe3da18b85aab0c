import Foundation
import Manifest
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

    /// Extensions taken as images, compared without regard to case.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "webp"]

    /// The images under `prefix` (a folder: a `/` is added if missing and the prefix is not empty),
    /// kept when their relative name matches any of the `include` globs (case-insensitive, as
    /// the manifest's globs; all when empty), in `order`.
    public static func frames(in store: any ObjectStore, prefix: String, include: [String] = [],
                              order: FrameOrder = .natural) async throws(StorageError) -> [Frame] {
        let folder = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        let globs = include.map(Glob.init)
        var frames: [Frame] = []
        for try await object in store.list(prefix: folder) {
            let name = String(object.key.dropFirst(folder.count))
            guard isImage(name), globs.isEmpty || globs.contains(where: { $0.matches(name) }) else { continue }
            frames.append(Frame(key: object.key, name: name, size: object.size, modified: object.lastModified, etag: object.etag))
        }
        return sorted(frames, by: order)
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
