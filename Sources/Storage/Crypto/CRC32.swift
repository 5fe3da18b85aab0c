import CZlib
import Foundation

/// CRC-32 (zlib's, the one S3 calls CRC32) of a file's byte range: the checksum uploads carry so that
/// S3 verifies every part and object it stores, as the AWS CLI does by default.
enum CRC32 {
    /// The checksum of `range` of the file at `path`, read 1 MiB at a time.
    static func of(file path: String, range: Range<Int64>) throws(StorageError) -> UInt32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LocalFiles.failure(path) }
        defer { close(descriptor) }
        var value = crc32(0, nil, 0)
        var position = range.lowerBound
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while position < range.upperBound {
            let want = Int(Swift.min(Int64(buffer.count), range.upperBound - position))
            let got = pread(descriptor, buffer.baseAddress, want, off_t(position))
            if got < 0 {
                if errno == EINTR { continue }
                throw LocalFiles.failure(path)
            }
            guard got > 0 else {
                throw StorageError.local(path: path, reason: "the file became shorter while it was read")
            }
            value = crc32(value, buffer.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(got))
            position += Int64(got)
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The checksum as S3 writes it: its four bytes, big-endian, in base64.
    static func base64(_ value: UInt32) -> String {
        Data([UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)])
            .base64EncodedString()
    }
}
