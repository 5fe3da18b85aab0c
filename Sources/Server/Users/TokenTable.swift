import Foundation
import Storage

/// The bearer tokens of `--tokens FILE`: a line per token, the token then the user ids it may act for,
/// comma-separated, or `*` for any user (`tok_4f9c... alice,bob`). Blank lines and lines starting with `#` are skipped.
///
/// Tokens are compared in constant time: each presented token and each known one are reduced to an HMAC-SHA256 under a
/// key drawn at start (equal lengths), and every entry is compared byte by byte without stopping early, so neither
/// the time nor the answer says how much of a token was right.
public struct TokenTable: Sendable {
    struct Entry: Sendable {
        let digest: [UInt8]
        let caller: Caller
    }

    private let entries: [Entry]
    private let key: [UInt8]

    /// The shortest token accepted: shorter ones can be guessed.
    public static let minimumLength = 16

    /// Reads `path`; every problem names its line and the fix.
    public init(file path: String) throws(ServeError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .setting("--tokens \(path)", "the file cannot be read; give a readable file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses the text of a tokens file named `file` in messages.
    public init(text: String, file: String = "tokens") throws(ServeError) {
        var key = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in key.indices { key[index] = UInt8.random(in: .min ... .max, using: &generator) }
        self.key = key
        var entries: [Entry] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let place = "\(file):\(number + 1)"
            guard fields.count == 2 else {
                let spaced = fields.count > 2 && fields.dropFirst().dropLast().allSatisfy { $0.hasSuffix(",") }
                throw .setting(
                    place,
                    "write the token, a space, then the user ids (comma-separated) or *"
                        + (spaced ? "; the user ids are one field: no space after a comma (alice,bob)" : ""))
            }
            let token = String(fields[0])
            guard token.utf8.count >= Self.minimumLength else {
                throw .setting(
                    place,
                    "the token is shorter than \(Self.minimumLength) characters; use a long random one "
                        + "(for example `openssl rand -hex 24`)")
            }
            let caller: Caller
            if fields[1] == "*" {
                caller = .everyone
            } else {
                var users = Set<UserID>()
                for name in fields[1].split(separator: ",", omittingEmptySubsequences: false) {
                    do { users.insert(try UserID(String(name))) } catch {
                        throw .setting(place, "\(error)")
                    }
                }
                caller = .users(users)
            }
            entries.append(Entry(digest: HMACSHA256.mac(key: key, message: token), caller: caller))
        }
        guard !entries.isEmpty else {
            throw .setting("--tokens \(file)", "the file lists no token; add a line such as `TOKEN alice`")
        }
        self.entries = entries
    }

    /// Whom `token` lets act, or nil when it is no known token.
    public func caller(for token: String) -> Caller? {
        let digest = HMACSHA256.mac(key: key, message: token)
        var found: Caller?
        for entry in entries {
            var difference: UInt8 = 0
            for index in 0..<digest.count { difference |= digest[index] ^ entry.digest[index] }
            if difference == 0 { found = entry.caller }
        }
        return found
    }
}
