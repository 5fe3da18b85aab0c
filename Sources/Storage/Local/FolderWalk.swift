import Foundation

/// Every regular file under a folder, found with readdir and fstatat on the folders' descriptors: at
/// 10,000 files FileManager's enumerator spent more time than the rest of a plan together.
enum FolderWalk {
    /// A file: its path relative to the walked folder, size and modification time.
    struct File {
        let relative: String
        let size: Int64
        let modified: Date
    }

    /// The files under `folder` (followed when it is itself a symbolic link). Links inside are taken for
    /// what they point to when that is a file; linked folders are not entered, so a cycle cannot loop.
    static func files(in folder: String) throws(StorageError) -> [File] {
        let root = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw LocalFiles.failure(folder) }
        var found: [File] = []
        try walk(root, relative: "", path: folder, into: &found)
        return found
    }

    /// Walks the folder open at `descriptor` (and closes it).
    private static func walk(_ descriptor: Int32, relative: String, path: String, into found: inout [File])
        throws(StorageError)
    {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            throw LocalFiles.failure(path)
        }
        defer { closedir(directory) }
        var folders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                folders.append(name)
                continue
            }
            var info = stat()
            guard fstatat(descriptor, name, &info, 0) == 0 else { continue }
            // Some filesystems do not fill d_type: a folder is then known only from stat.
            if type == UInt8(DT_UNKNOWN), (info.st_mode & S_IFMT) == S_IFDIR {
                folders.append(name)
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append(
                File(relative: relative + name, size: Int64(info.st_size), modified: LocalStore.modified(info)))
        }
        for name in folders {
            let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }  // unreadable, or vanished while listing: as the enumerator did
            try walk(child, relative: relative + name + "/", path: path + "/" + name, into: &found)
        }
    }
}
