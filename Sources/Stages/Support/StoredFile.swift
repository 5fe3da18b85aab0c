import Foundation
import Manifest
import Media
import Storage

/// A finished local file checked, hashed and put in its place in a store.
enum StoredFile {
    /// Probes `file` (a truncated or non-video file is refused), hashes it, and uploads it to `location`.
    /// `checkWhileStoring` does the probe and the hash while the file is uploaded (two reads of it at once, for a
    /// file this run has just made): a file that fails them is deleted from `location` again.
    static func store(
        _ file: URL, at location: Location, name: String, contentType: String,
        stores: StoreCache, checkWhileStoring: Bool = false
    ) async throws -> Artifact {
        let check = { @Sendable () async throws -> (MediaInfo, String) in
            try await BlockingWork.run { _ in
                (try MediaProbe.quickProbe(path: file.path), try SHA256Digest.hex(ofFile: file.path))
            }
        }
        let checked: (MediaInfo, String)? = checkWhileStoring ? nil : try await check()
        let size = Int64((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
        let (store, key) = try await stores.openForWriting(location)
        async let checking = checkWhileStoring ? check() : nil
        try await store.put(key, from: file, contentType: contentType)
        var result = checked
        if result == nil {
            do {
                result = try await checking
            } catch {
                try? await store.delete(key)
                throw error
            }
        }
        guard let result else { throw StageError.unreadable(path: file.path, reason: "it was not checked") }
        let (info, digest) = result
        return Artifact(
            name: name, location: store.location(of: key), size: size, digest: .sha256(digest), duration: info.duration)
    }

    /// A local path holding the object at `location`: itself when local, a copy this run already has
    /// (by `digest`, in `copies`), else a download into `folder`.
    static func localCopy(
        of location: Location, digest: ContentDigest? = nil, in folder: URL, as fileName: String,
        stores: StoreCache, copies: LocalCopies? = nil
    ) async throws -> String {
        let (store, key) = try await stores.open(location)
        if let path = store.localPath(of: key) { return path }
        if let digest, let path = await copies?.path(for: digest) { return path }
        let file = folder.appendingPathComponent(fileName)
        try stores.checkWrite(path: file.path)
        try await store.get(key, to: file)
        return file.path
    }

    /// Throws `StageError.changedSinceRecorded` unless the local file at `path` has the size and SHA-256 that
    /// `artifact` records: a clip or film from a checkpoint is used only if it is still the one that was made.
    /// Artifacts without a SHA-256 digest (S3 frames, identified by their ETag) are not checked here.
    /// A file that is gone throws `StageError.goneSinceRecorded`, naming it as `described` ("the clip of frame_01.png").
    static func verify(_ path: String, against artifact: Artifact, described: String) async throws {
        guard let recorded = artifact.digest.sha256Hex else { return }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageError.goneSinceRecorded(what: described, location: artifact.location.description)
        }
        let (size, hex) = try await BlockingWork.run { _ in
            (
                Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1),
                try SHA256Digest.hex(ofFile: path)
            )
        }
        if size != artifact.size {
            throw StageError.changedSinceRecorded(
                location: artifact.location.description, recorded: "\(artifact.size) bytes",
                found: "\(size) bytes")
        }
        if hex != recorded {
            throw StageError.changedSinceRecorded(
                location: artifact.location.description, recorded: "SHA-256 \(recorded.prefix(12))…",
                found: "SHA-256 \(hex.prefix(12))…")
        }
    }
}
