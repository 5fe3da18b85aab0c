import Foundation
import NIOCore

/// A byte range of a file as a sequence of buffers, read on demand: the transport asks for the next
/// chunk only when the socket can take it, so an upload holds a chunk or two per request in memory,
/// whatever the file's size. Reads are `pread`s from the page cache, short enough for the caller's task.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let range: Range<Int64>
    static let chunkSize = 512 << 10

    func makeAsyncIterator() -> Iterator { Iterator(path: path, range: range) }

    /// Owns its descriptor: opened at the first read, closed at the end or when dropped.
    final class Iterator: AsyncIteratorProtocol {
        private let path: String
        private var position: Int64
        private let end: Int64
        private var descriptor: Int32 = -1

        init(path: String, range: Range<Int64>) {
            self.path = path
            position = range.lowerBound
            end = range.upperBound
        }

        deinit { if descriptor >= 0 { close(descriptor) } }

        func next() async throws -> ByteBuffer? {
            guard position < end else { return nil }
            if descriptor < 0 {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw FileChunkError(path: path, code: errno) }
            }
            let count = Int(Swift.min(Int64(FileChunks.chunkSize), end - position))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes -> Int in
                var done = 0
                while done < count {
                    let got = pread(
                        descriptor, bytes.baseAddress.map { $0 + done }, count - done, off_t(position) + off_t(done))
                    if got < 0 {
                        if errno == EINTR { continue }
                        throw FileChunkError(path: path, code: errno)
                    }
                    // The file shrank under us: the length already promised can no longer be sent.
                    if got == 0 { throw FileChunkError(path: path, code: nil) }
                    done += got
                }
                return done
            }
            position += Int64(read)
            return buffer
        }
    }
}

/// Reading an upload's file failed midway.
struct FileChunkError: Error, CustomStringConvertible {
    let path: String
    let code: Int32?

    var description: String {
        guard let code else { return "\(path) became shorter while it was being sent" }
        return "\(path): \(String(cString: strerror(code)))"
    }
}
