import Foundation
import Manifest
import Media
import Storage

/// A finished local file checked, hashed and put in its place in a store.
enum StoredFile {
    /// Probes `file` (a truncated or non-video file is refused), hashes it, and uploads it to `location`.
    static func store(_ file: URL, at location: Location, name: String, contentType: String,
                      stores: StoreCache) async throws -> Artifact {
        let (info, digest) = try await BlockingWork.run { _ in
            (try MediaProbe.quickProbe(path: file.path), try SHA256Digest.hex(ofFile: file.path))
        }
        let size = Int64((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
        let (store, key) = try await stores.open(location)
        try await store.put(key, from: file, contentType: contentType)
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
        try await store.get(key, to: file)
        return file.path
    }
}

/// How artifacts name where they are.
public enum ArtifactLocation {
    /// The location text of `key` in `store`: an absolute path or an `s3://bucket/key` URL.
    public static func text(store: any ObjectStore, key: String) -> String {
        store is LocalStore ? "/" + key : store.root + "/" + key
    }
}
