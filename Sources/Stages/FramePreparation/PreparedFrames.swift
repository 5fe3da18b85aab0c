import Foundation
import Manifest
import Media
import Storage

/// One prepared image per frame content: the frame as a viewer shows it (`PreparedImage`: oriented, flattened onto
/// the stage's background, a JPEG of at most 4096 pixels a side), made once and kept beside the
/// clips, keyed by the frame's digest and the background, so reruns and other machines sharing the store reuse it.
/// Runway receives it (as a data URI or an upload, always typed `image/jpeg`) and Ken Burns draws from it, so the
/// free draft shows what will be paid for.
public enum PreparedFrames {
    /// Raised when the preparation changes, so that every prepared image is made again.
    public static let version = "prepared-v1"

    /// Where the prepared image of `frame` is kept: in `<to>.prepared/`, the folder beside the generate stage's `to`
    /// (beside, not inside, so that the clips folder holds clips only).
    public static func location(of frame: Artifact, background: RGBColor, under folder: Location) throws -> Location {
        let key = try ContentKey(
            kind: version, inputs: ["frame": frame.digest.description, "background": background.description])
        return Self.folder(beside: folder).appending("\(key.hex).jpg")
    }

    /// `clips/` -> `clips.prepared/` (an S3 prefix or a local folder).
    /// What a clips folder's name gets for the folder of its prepared frames (`clips/` -> `clips.prepared/`).
    public static let folderSuffix = ".prepared"

    static func folder(beside folder: Location) -> Location {
        switch folder {
        case .s3(let bucket, let key):
            let trimmed = key.hasSuffix("/") ? String(key.dropLast()) : key
            return .s3(bucket: bucket, key: (trimmed.isEmpty ? "" : trimmed) + folderSuffix + "/")
        case .local(let path):
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            return .local(path: trimmed + folderSuffix + "/")
        }
    }

    /// A local path holding the prepared image of `frame`: the kept one when it exists, else made now (the frame is
    /// fetched into `scratch`, checked and prepared) and kept. Throws `FrameRefusal` for a frame that cannot be used.
    public static func prepare(
        _ frame: Artifact, background: RGBColor, keptUnder folder: Location, stores: StoreCache,
        scratch: URL
    ) async throws -> String {
        if let problem = FrameInspection.problem(listedSize: frame.size) {
            throw FrameRefusal(frame: frame.name, problem: problem)
        }
        let kept = try location(of: frame, background: background, under: folder)
        let prepared = scratch.appendingPathComponent("prepared.jpg")
        try stores.checkWrite(path: prepared.path)
        let (store, key) = try await stores.open(kept)
        if let path = try await reuse(store: store, key: key, into: prepared) { return path }

        let source = try await StoredFile.localCopy(
            of: frame.location, in: scratch, as: "frame." + FrameName.fileExtension(of: frame.name),
            stores: stores)
        do {
            _ = try await BlockingWork.run { _ in
                try PreparedImage.write(source: source, to: prepared.path, background: background)
            }
        } catch let MediaError.unusableImage(_, problem) {
            throw FrameRefusal(frame: frame.name, problem: problem)
        }
        // Kept for reruns; a frame that cannot be kept (a read-only bucket) is still used in this run.
        if let (writable, writeKey) = try? await stores.openForWriting(kept) {
            try? await writable.put(writeKey, from: prepared, contentType: "image/jpeg")
        }
        return prepared.path
    }

    /// The kept image as a local path (itself when local; downloaded otherwise), or nil when none is kept.
    private static func reuse(store: any ObjectStore, key: String, into file: URL) async throws -> String? {
        if let path = store.localPath(of: key) {
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        do {
            _ = try await store.head(key)
        } catch .notFound {
            return nil
        }
        try await store.get(key, to: file)
        return file.path
    }
}
