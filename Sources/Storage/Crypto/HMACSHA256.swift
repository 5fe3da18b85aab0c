import COpenSSL
import Foundation

/// HMAC-SHA256 over libcrypto's one-shot `HMAC`, the primitive SigV4's key derivation chains.
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // HMAC with SHA-256 cannot fail for in-memory buffers; a nil result would mean a broken libcrypto,
        // which the SHA-256 tests would already expose, so an empty MAC (never a valid signature) is returned.
        let result = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress, messageBuffer.count, &output, &length)
            }
        }
        guard result != nil else { return [] }
        return Array(output.prefix(Int(length)))
    }

    /// The MAC of a UTF-8 string.
    public static func mac(key: [UInt8], message: String) -> [UInt8] {
        mac(key: key, message: Array(message.utf8))
    }
}
