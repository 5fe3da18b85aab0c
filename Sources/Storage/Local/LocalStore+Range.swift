import Foundation

/// Part of a local file, for checking a frame's header and end (the S3 counterpart is `S3Store+Range`).
extension LocalStore {
    /// `pread` of `range`. Local listings give no ETag, so `etag` is not compared: a local frame is hashed from the
    /// same file it is checked in.
    public func read(_ key: String, range: Range<Int64>, ifMatch etag: String?) async throws(StorageError) -> Data {
        try LocalFiles.read(path(key), range: range)
    }
}

extension LocalFiles {
    /// Exactly the bytes of `path` in `range`; a file shorter than the range is an error naming it.
    static func read(_ path: String, range: Range<Int64>) throws(StorageError) -> Data {
        guard !range.isEmpty else { return Data() }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(location: path) }
            throw failure(path)
        }
        defer { close(descriptor) }
        var data = Data(count: range.count)
        var done = 0
        while done < range.count {
            let count = data.withUnsafeMutableBytes { buffer in
                pread(
                    descriptor, buffer.baseAddress.map { $0 + done }, range.count - done,
                    off_t(range.lowerBound) + off_t(done))
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure(path) }
            guard count > 0 else {
                throw .lengthMismatch(location: path, expected: Int64(range.count), received: Int64(done))
            }
            done += count
        }
        return data
    }
}
