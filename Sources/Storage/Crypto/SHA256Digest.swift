import COpenSSL
import Foundation

/// Errors from hashing a file.
public enum DigestError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case cryptoFailure

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path) to hash it: \(reason)"
        case .cryptoFailure:
            return "libcrypto could not compute a SHA-256 digest; check the OpenSSL installation (libssl-dev)"
        }
    }
}

/// Incremental SHA-256 over libcrypto's EVP interface.
public struct SHA256Digest: ~Copyable {
    private let context: OpaquePointer

    /// Starts a new digest.
    public init() throws(DigestError) {
        guard let context = EVP_MD_CTX_new() else { throw .cryptoFailure }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw .cryptoFailure
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds bytes to the digest.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lower-case hex characters; ends the computation.
    public consuming func finalizeHex() -> String {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return output.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The SHA-256 of some bytes, as hex.
    public static func hex(of data: Data) throws(DigestError) -> String {
        var digest = try SHA256Digest()
        digest.update(data)
        return digest.finalizeHex()
    }

    /// The SHA-256 of a file's bytes, read in 1 MiB chunks so memory stays flat.
    public static func hex(ofFile path: String) throws(DigestError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "it does not exist or is not readable")
        }
        defer { try? handle.close() }
        var digest = try SHA256Digest()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            digest.update(chunk)
        }
        return digest.finalizeHex()
    }
}
