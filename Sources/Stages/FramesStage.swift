import Foundation
import Manifest
import Storage

/// A `frames` stage: the images at a location, in order, each with a digest of its content.
public struct FramesStage: Sendable {
    public let name: String
    public let options: FramesOptions

    /// The stage named `name` with its options.
    public init(name: String, options: FramesOptions) {
        self.name = name
        self.options = options
    }

    /// The frames, in order. Local frames are hashed (SHA-256 of their bytes); S3 frames are identified
    /// by their ETag, which is the MD5 of the bytes unless the object was uploaded in parts.
    public func frames(stores: StoreCache) async throws -> [Artifact] {
        let (store, prefix) = try await stores.open(options.from)
        let listed = try await FrameListing.frames(in: store, prefix: prefix, include: options.include, order: options.order)
        guard !listed.isEmpty else {
            throw StageError.noFrames(stage: name, location: options.from.description, include: options.include)
        }
        if store is LocalStore {
            return try await Self.hashed(listed.map { ($0, "/" + $0.key) })
        }
        let root = store.root
        return listed.map { frame in
            Artifact(name: frame.name, location: root + "/" + frame.key, size: frame.size,
                     digest: Self.digest(etag: frame.etag, size: frame.size))
        }
    }

    /// `md5:HEX` for a plain ETag, `etag:TEXT` for a multipart one (still fixed for one upload).
    static func digest(etag: String?, size: Int64) -> String {
        let text = (etag ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if text.count == 32, text.allSatisfy(\.isHexDigit) { return "md5:" + text.lowercased() }
        return text.isEmpty ? "size:\(size)" : "etag:" + text
    }

    /// Local frames hashed on two threads at a time, off the cooperative pool.
    static func hashed(_ frames: [(frame: FrameListing.Frame, path: String)]) async throws -> [Artifact] {
        let lanes = 2
        return try await withThrowingTaskGroup(of: [(Int, Artifact)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    try await BlockingWork.run { _ in
                        try stride(from: lane, to: frames.count, by: lanes).map { index in
                            let (frame, path) = frames[index]
                            let hex = try SHA256Digest.hex(ofFile: path)
                            return (index, Artifact(name: frame.name, location: path, size: frame.size, digest: "sha256:" + hex))
                        }
                    }
                }
            }
            var all: [(Int, Artifact)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
