import Foundation
import Media
import Storage

/// Stored (S3) frames checked as local ones are, before anything is planned or paid (issue #14): each frame's first
/// `ImageHeader.headBytes` and, when it is longer, its last `ImageHeader.tailBytes` are read with ranged GETs pinned
/// to the listed ETag, a few frames at a time, and go through `PreparedImage.inspect(head:tail:fileSize:)`.
/// Frames found good are remembered by digest in `FrameChecks` (kept by `apply`), so unchanged frames are not read again.
enum StoredFrameCheck {
    /// Frames read at once: enough to hide the round trips, few enough not to crowd the connection pool.
    static let inFlight = 8

    /// Each frame's problem, or nil when it can be used, in the order of `frames` (`digests` beside them).
    static func problems(
        of frames: [FrameListing.Frame], digests: [ContentDigest], in store: any ObjectStore,
        checks: FrameChecks
    ) async throws(StorageError) -> [ImageProblem?] {
        let found = Found(count: frames.count)
        try await forEachConcurrently(Array(frames.indices), limit: inFlight) {
            (index: Int) async throws(StorageError) in
            let (frame, digest) = (frames[index], digests[index])
            if let problem = FrameInspection.problem(listedSize: frame.size) {
                await found.set(index, problem)
                return
            }
            if await checks.isGood(digest: digest, size: frame.size) { return }
            let problem = try await problem(of: frame, in: store)
            if problem == nil { await checks.remember(digest: digest, size: frame.size) }
            await found.set(index, problem)
        }
        return await found.problems
    }

    /// Reads a frame's head and tail and checks them.
    private static func problem(of frame: FrameListing.Frame, in store: any ObjectStore) async throws(StorageError)
        -> ImageProblem?
    {
        let headEnd = min(frame.size, Int64(ImageHeader.headBytes))
        let head = try await store.read(frame.key, range: 0..<headEnd, ifMatch: frame.etag)
        let tailStart = max(headEnd, frame.size - Int64(ImageHeader.tailBytes))
        let tail = try await store.read(frame.key, range: tailStart..<frame.size, ifMatch: frame.etag)
        do {
            _ = try PreparedImage.inspect(head: [UInt8](head), tail: [UInt8](tail), fileSize: frame.size)
            return nil
        } catch {
            return error
        }
    }

    /// The problems found so far, written from the concurrent reads.
    private actor Found {
        private(set) var problems: [ImageProblem?]

        init(count: Int) {
            problems = Array(repeating: nil, count: count)
        }

        func set(_ index: Int, _ problem: ImageProblem?) {
            problems[index] = problem
        }
    }
}
