import Foundation
import Manifest
import Storage

/// A frame left out because its name cannot be used safely (`FrameName.problem`).
public struct RefusedFrame: Sendable, Equatable, Codable {
    /// The name with its control characters escaped (`InertText.escaped`), safe to print.
    public let name: String
    /// Why it is refused, a sentence naming what to do.
    public let reason: String

    /// A refused frame.
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// A frames stage's listing: the frames, in order, and those refused for their names.
public struct FrameSelection: Sendable {
    public let frames: [Artifact]
    public let refused: [RefusedFrame]
}

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
        try await select(stores: stores).frames
    }

    /// The frames, in order, and the images refused because their names could lead a path astray (`..`
    /// segments, control characters...: `FrameName.problem`); a refused frame is neither read nor written.
    public func select(stores: StoreCache) async throws -> FrameSelection {
        let (store, prefix) = try await stores.open(options.from)
        let all = try await FrameListing.frames(in: store, prefix: prefix, include: options.include, order: options.order)
        guard !all.isEmpty else {
            throw StageError.noFrames(stage: name, location: options.from.description, include: options.include)
        }
        var listed: [FrameListing.Frame] = []
        var refused: [RefusedFrame] = []
        for frame in all {
            if let problem = FrameName.problem(frame.name) {
                refused.append(RefusedFrame(name: InertText.escaped(frame.name),
                                            reason: "refused: its name \(problem), which could lead a path out of its folder; rename it"))
            } else {
                listed.append(frame)
            }
        }
        if store is LocalStore {
            return FrameSelection(frames: try await Self.hashed(listed.map { ($0, "/" + $0.key) }), refused: refused)
        }
        let root = store.root
        let frames = listed.map { frame in
            Artifact(name: frame.name, location: root + "/" + frame.key, size: frame.size,
                     digest: Self.digest(etag: frame.etag, size: frame.size))
        }
        return FrameSelection(frames: frames, refused: refused)
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
