import Foundation
import Storage
import Testing

@Suite struct SHA256DigestTests {
    @Test func emptyInputMatchesTheFIPSVector() throws {
        #expect(try SHA256Digest.hex(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abcMatchesTheFIPSVector() throws {
        #expect(
            try SHA256Digest.hex(of: Data("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fileDigestEqualsDigestOfItsBytes() throws {
        let bytes = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        try bytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try SHA256Digest.hex(ofFile: url.path) == SHA256Digest.hex(of: bytes))
    }

    @Test func missingFileIsNamedInTheError() {
        #expect(
            throws: DigestError.unreadable(
                path: "/nonexistent/frame.png", reason: "it does not exist or is not readable")
        ) {
            try SHA256Digest.hex(ofFile: "/nonexistent/frame.png")
        }
    }
}
