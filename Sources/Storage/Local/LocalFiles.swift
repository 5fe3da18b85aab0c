import Foundation

/// POSIX file operations the stores share, each failing with a `StorageError.local` that names the path.
public enum LocalFiles {
    /// The size of a regular file.
    static func size(of path: String) throws(StorageError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure(path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .local(path: path, reason: "is not a regular file") }
        return Int64(info.st_size)
    }

    /// A fresh temporary path in the same folder as `path`, so that renaming it over `path` is atomic.
    public static func temporarySibling(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(
            hiddenName(for: url.lastPathComponent, suffix: ".runner-\(UUID().uuidString).tmp")
        ).path
    }

    /// The most bytes a file name may have (NAME_MAX on Linux and macOS).
    public static let nameMax = 255

    /// `.NAME` + `suffix`, with NAME shortened (by whole characters) so that the whole fits in `nameMax` bytes: a file
    /// whose own name fits must have a temporary sibling that fits too.
    static func hiddenName(for name: String, suffix: String) -> String {
        var base = Substring(name)
        while 1 + base.utf8.count + suffix.utf8.count > nameMax, !base.isEmpty { base = base.dropLast() }
        return "." + base + suffix
    }

    /// A fresh path in the system temporary folder.
    static func temporaryFile(_ hint: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(hint)-\(UUID().uuidString)").path
    }

    /// Creates the folders above `path`.
    static func createParent(of path: String) throws(StorageError) {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .local(path: parent.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// Opens a file for writing, created empty (mode 0644).
    public static func create(_ path: String) throws(StorageError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path) }
        return descriptor
    }

    /// Renames over the destination (atomic within a filesystem).
    public static func rename(_ from: String, to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else { throw failure(to) }
    }

    /// Copies `length` bytes at `offset` of `source` into a new file at `destination`, in the kernel (sendfile) when it can.
    static func copyRange(from source: String, offset: Int64, length: Int64, to destination: String)
        throws(StorageError)
    {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(source) }
        defer { close(input) }
        let output = try create(destination)
        defer { close(output) }
        var sourceOffset = off_t(offset)
        var remaining = length
        while remaining > 0 {
            let copied = sendfile(output, input, &sourceOffset, Int(min(remaining, 1 << 30)))
            if copied < 0 {
                if errno == EINTR { continue }
                if errno == ENOSYS || errno == EINVAL {
                    try copyByReading(input, from: sourceOffset, length: remaining, to: output, path: destination)
                    return
                }
                throw failure(destination)
            }
            if copied == 0 { throw .local(path: source, reason: "ended before the expected \(offset + length) bytes") }
            remaining -= Int64(copied)
        }
    }

    private static func copyByReading(_ input: Int32, from offset: off_t, length: Int64, to output: Int32, path: String)
        throws(StorageError)
    {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var position = offset
        var remaining = length
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes {
                pread(input, $0.baseAddress, Int(min(remaining, 1 << 20)), position)
            }
            guard count > 0 else { throw failure(path) }
            let written = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
            guard written == count else { throw failure(path) }
            position += off_t(count)
            remaining -= Int64(count)
        }
    }

    /// The last POSIX error as a `StorageError` about `path`.
    static func failure(_ path: String) -> StorageError {
        .local(path: path, reason: String(cString: strerror(errno)))
    }
}
