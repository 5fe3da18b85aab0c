import Foundation
import TestSupport
import Testing

@testable import Storage

@Suite struct CRC32Tests {
    /// The CRC-32 check value ("123456789" → CBF43926) and S3's base64 of its big-endian bytes.
    @Test func checkValueAndS3Encoding() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("digits")
        try Data("xx123456789yy".utf8).write(to: file)
        let value = try CRC32.of(file: file.path, range: 2..<11)
        #expect(value == 0xCBF4_3926)
        #expect(CRC32.base64(value) == "y/Q5Jg==")
    }
}
