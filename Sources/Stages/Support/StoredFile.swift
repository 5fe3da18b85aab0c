import Foundation
import Manifest
import Media
import Storage

/// A finished local file checked, hashed and put in its place in a store.
enum StoredFile {
    /// Probes `file` (a truncated or non-video file is refused), hashes it, and uploads it to `location`.
    /// `checkWhileStoring` does the probe and the hash while the file is uploaded (two reads of it at once, for a
    /// file this run has just made): a file that fails them is deleted from `location` again.
    static func store(_ file: URL, at location: Location, name: String, contentType: String,
                      stores: StoreCache, checkWhileStoring: Bool = false) async throws -> Artifact {
        let check = { @Sendable () async throws -> (MediaInfo, String) in
            try await BlockingWork.run { _ in (try MediaProbe.quickProbe(path: file.path), try SHA256Digest.hex(ofFile: file.path)) }
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
        return Artifact(name: name, location: ArtifactLocation.text(store: store, key: key), size: size,
                        digest: "sha256:" + digest, duration: info.duration)
    }

    /// A local path holding the object at `location`: itself when local, a copy this run already has
    /// (by `digest`, in `copies`), else a download into `folder`.
    static func localCopy(of location: String, digest: String? = nil, in folder: URL, as fileName: String, stores: StoreCache,
                          copies: LocalCopies? = nil) async throws -> String {
        let (store, key) = try await stores.open(text: location)
        if store is LocalStore { return "/" + key }
        if let digest, let path = await copies?.path(for: digest) { return path }
        let file = folder.appendingPathComponent(fileName)
        try stores.checkWrite(path: file.path)
        try await store.get(key, to: file)
        return file.path
    }

    /// Throws `StageError.changedSinceRecorded` unless the local file at `path` has the size and SHA-256 that
    /// `artifact` records: a clip or film from a checkpoint is used only if it is still the one that was made.
    /// Artifacts without a SHA-256 digest (S3 frames, identified by their ETag) are not checked here.
    static func verify(_ path: String, against artifact: Artifact) async throws {
        guard artifact.digest.hasPrefix("sha256:") else { return }
        let (size, hex) = try await BlockingWork.run { _ in
            (Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1), try SHA256Digest.hex(ofFile: path))
        }
        if size != artifact.size {
            throw StageError.changedSinceRecorded(location: artifact.location, recorded: "\(artifact.size) bytes", found: "\(size) bytes")
        }
        if "sha256:" + hex != artifact.digest {
            throw StageError.changedSinceRecorded(location: artifact.location, recorded: "SHA-256 \(artifact.digest.dropFirst(7).prefix(12))…",
                                                  found: "SHA-256 \(hex.prefix(12))…")
        }
    }
}

/// How artifacts name where they are.
public enum ArtifactLocation {
    /// The location text an artifact stored at `location` gets (as `text(store:key:)` gives it once the store is
    /// opened): the standardised absolute path, or the `s3://bucket/key` URL. The runner's own output location of an
    /// item, to compare a checkpoint record's `output` with.
    public static func text(of location: Location) -> String {
        switch location {
        case let .s3(bucket, key): return "s3://\(bucket)/\(key)"
        case let .local(path):
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
            return "/" + standardized.drop { $0 == "/" }
        }
    }

    /// The location text of `key` in `store`: an absolute path or an `s3://bucket/key` URL.
    public static func text(store: any ObjectStore, key: String) -> String {
        store is LocalStore ? "/" + key : store.root + "/" + key
    }
}
