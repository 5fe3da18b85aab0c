import Foundation

/// Objects as files under a root folder: keys are paths relative to it. Writes go to a temporary
/// file in the destination's folder and are renamed (or linked) into place, so readers never see half a file.
public struct LocalStore: ObjectStore {
    /// The root folder, with no trailing `/` (empty for `/`).
    public let rootPath: String

    /// A store rooted at `root` (an absolute path).
    public init(root: String) {
        var path = root
        while path.hasSuffix("/") { path.removeLast() }
        rootPath = path
    }

    public var root: String { rootPath.isEmpty ? "/" : rootPath }

    func path(_ key: String) -> String { rootPath + "/" + key }

    /// Walks the folder that holds `prefix` and keeps the files whose keys start with it, in key order
    /// (as S3 lists). Temporary files of unfinished writes are left out.
    public func list(prefix: String) -> ObjectListing {
        let rootPath = self.rootPath
        return ObjectListing { (_: String?) async throws(StorageError) -> ObjectListing.Page in
            let folderKey = prefix.lastIndex(of: "/").map { String(prefix[...$0]) } ?? ""
            let folder = rootPath + "/" + folderKey
            var objects: [ObjectInfo] = []
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                return ObjectListing.Page(objects: [], next: nil)
            }
            for file in try FolderWalk.files(in: folder) {
                let key = folderKey + file.relative
                guard key.hasPrefix(prefix), !Self.isTemporary(file.relative) else { continue }
                objects.append(ObjectInfo(key: key, size: file.size, lastModified: file.modified))
            }
            objects.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return ObjectListing.Page(objects: objects, next: nil)
        }
    }

    public func head(_ key: String) async throws(StorageError) -> ObjectInfo {
        var info = stat()
        guard stat(path(key), &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(location: path(key)) }
            throw LocalFiles.failure(path(key))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notFound(location: path(key)) }
        return ObjectInfo(key: key, size: Int64(info.st_size), lastModified: Self.modified(info))
    }

    @discardableResult
    public func get(_ key: String, to file: URL) async throws(StorageError) -> ObjectInfo {
        let info = try await head(key)
        try Self.copyAtomically(from: path(key), size: info.size, to: file.path, exclusive: false)
        return info
    }

    public func put(_ key: String, from file: URL, contentType: String?) async throws(StorageError) {
        let size = try LocalFiles.size(of: file.path)
        _ = try Self.copyAtomically(from: file.path, size: size, to: path(key), exclusive: false)
    }

    /// Moves `file` (a file of the caller's own that it no longer needs) onto the key, replacing what is there, by a
    /// rename: no byte is copied. False when the two are on different filesystems (nothing is changed then: `put` it).
    public func move(_ file: URL, to key: String) throws(StorageError) -> Bool {
        try LocalFiles.createParent(of: path(key))
        guard Glibc.rename(file.path, path(key)) == 0 else {
            if errno == EXDEV { return false }
            throw LocalFiles.failure(path(key))
        }
        return true
    }

    /// An exclusive create: the data goes to a temporary file that is then hard-linked to the key,
    /// which fails (EEXIST) if anything is there, even if another process created it a moment ago.
    public func create(_ key: String, from file: URL, contentType: String?) async throws(StorageError) -> CreateResult {
        let size = try LocalFiles.size(of: file.path)
        return try Self.copyAtomically(from: file.path, size: size, to: path(key), exclusive: true)
    }

    public func delete(_ key: String) async throws(StorageError) {
        guard unlink(path(key)) == 0 || errno == ENOENT else { throw LocalFiles.failure(path(key)) }
    }

    public func presignGet(_ key: String, expiry: Duration) async throws(StorageError) -> URL {
        _ = try await head(key)
        return URL(fileURLWithPath: path(key))
    }

    @discardableResult
    static func copyAtomically(from source: String, size: Int64, to destination: String, exclusive: Bool)
        throws(StorageError) -> CreateResult
    {
        try writeAtomically(to: destination, exclusive: exclusive) { (temporary: String) throws(StorageError) in
            try LocalFiles.copyRange(from: source, offset: 0, length: size, to: temporary)
        }
    }

    /// Fills a temporary sibling of `destination` with `fill`, then renames it into place, or, when
    /// `exclusive`, links it (which fails if anything is there, even if another process created it a moment ago).
    static func writeAtomically(
        to destination: String, exclusive: Bool,
        fill: (String) throws(StorageError) -> Void
    ) throws(StorageError) -> CreateResult {
        try LocalFiles.createParent(of: destination)
        let temporary = LocalFiles.temporarySibling(of: destination)
        defer { unlink(temporary) }
        try fill(temporary)
        guard exclusive else {
            try LocalFiles.rename(temporary, to: destination)
            return .created
        }
        guard link(temporary, destination) == 0 else {
            if errno == EEXIST { return .alreadyExists }
            throw LocalFiles.failure(destination)
        }
        return .created
    }

    static func isTemporary(_ relativePath: String) -> Bool {
        let name = relativePath.split(separator: "/").last ?? ""
        return name.hasPrefix(".") && name.hasSuffix(".tmp") && name.contains(".runner-")
    }

    static func modified(_ info: stat) -> Date {
        Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }
}
