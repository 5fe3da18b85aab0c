import Foundation
import Manifest
import Media
import Storage

/// A frame left out: its name cannot be used safely (`FrameName.problem`), or its content cannot (`FrameInspection`).
public struct RefusedFrame: Sendable, Equatable, Codable {
    /// Why a frame is refused.
    public enum Kind: String, Sendable, Codable {
        /// Its name could lead a path astray: never read nor written, whatever the stage's `onFailure`.
        case name
        /// Its content is empty, truncated, undecodable, too large or of an unusable shape: `apply` refuses to start
        /// under `onFailure: fail`, and leaves it out under `onFailure: skip`.
        case content
    }

    /// The name with its control characters escaped (`InertText.escaped`), safe to print.
    public let name: String
    /// Why it is refused, a sentence naming what to do.
    public let reason: String
    public var kind: Kind = .name

    /// A refused frame.
    public init(name: String, reason: String, kind: Kind = .name) {
        self.name = name
        self.reason = reason
        self.kind = kind
    }
}

/// A frames stage's listing: the frames, in order, those refused, and the files that are not frames.
public struct FrameSelection: Sendable {
    public let frames: [Artifact]
    public let refused: [RefusedFrame]
    /// Files under the location that are not frames (sidecars, hidden files, other types), each with its reason.
    public var skipped: [FrameListing.Skipped] = []
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
    public func frames(stores: StoreCache, checks: FrameChecks = FrameChecks()) async throws -> [Artifact] {
        try await select(stores: stores, checks: checks).frames
    }

    /// The frames, in order, and the images refused: those whose names could lead a path astray (`..` segments,
    /// control characters...: `FrameName.problem`), never read nor written, and those whose content cannot be used
    /// (`FrameInspection`). Local frames are checked as they are hashed; S3 frames from their first and last bytes
    /// (`StoredFrameCheck`), skipping those `checks` already found good.
    public func select(stores: StoreCache, checks: FrameChecks = FrameChecks()) async throws -> FrameSelection {
        let (store, prefix) = try await stores.open(options.from)
        let listing = try await FrameListing.listing(
            in: store, prefix: prefix, include: options.include, order: options.order)
        let all = listing.frames
        guard !all.isEmpty else {
            throw StageError.noFrames(stage: name, location: options.from.description, include: options.include)
        }
        var listed: [FrameListing.Frame] = []
        var refused: [RefusedFrame] = []
        for frame in all {
            if let refusal = FrameName.refusal(frame.name) {
                refused.append(RefusedFrame(name: InertText.escaped(frame.name), reason: refusal))
            } else {
                listed.append(frame)
            }
        }
        var frames: [Artifact] = []
        var problems: [ImageProblem?]
        // A local store gives every frame a path: each frame's header is read in the same pass that hashes it (issue #14).
        let paths = listed.compactMap { store.localPath(of: $0.key) }
        if paths.count == listed.count {
            let checked = try await Self.hashed(zip(listed, paths).map { (frame: $0, path: $1) })
            frames = checked.map(\.artifact)
            problems = checked.map(\.problem)
        } else {
            frames = listed.map { frame in
                Artifact(
                    name: frame.name, location: store.location(of: frame.key), size: frame.size,
                    digest: ContentDigest(etag: frame.etag, size: frame.size))
            }
            problems = try await StoredFrameCheck.problems(
                of: listed, digests: frames.map(\.digest), in: store, checks: checks)
        }
        var usable: [Artifact] = []
        for (frame, problem) in zip(frames, problems) {
            guard let problem else {
                usable.append(frame)
                continue
            }
            refused.append(
                RefusedFrame(name: InertText.escaped(frame.name), reason: problem.description, kind: .content))
        }
        var selection = FrameSelection(frames: usable, refused: refused)
        selection.skipped = listing.skipped
        return selection
    }

    /// Local frames hashed and their headers checked (`FrameInspection`) on two threads at a time, off the cooperative pool.
    static func hashed(_ frames: [(frame: FrameListing.Frame, path: String)]) async throws -> [(
        artifact: Artifact, problem: ImageProblem?
    )] {
        let lanes = 2
        return try await withThrowingTaskGroup(of: [(Int, Artifact, ImageProblem?)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    try await BlockingWork.run { _ in
                        try stride(from: lane, to: frames.count, by: lanes).map { index in
                            let (frame, path) = frames[index]
                            let problem =
                                FrameInspection.problem(listedSize: frame.size) ?? FrameInspection.problem(atPath: path)
                            let hex = try SHA256Digest.hex(ofFile: path)
                            return (
                                index,
                                Artifact(
                                    name: frame.name, location: .local(path: path), size: frame.size,
                                    digest: .sha256(hex)), problem
                            )
                        }
                    }
                }
            }
            var all: [(Int, Artifact, ImageProblem?)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }
}
