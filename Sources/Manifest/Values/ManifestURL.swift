/// An http(s) URL written in a manifest, read strictly enough that every HTTP client agrees on its host.
///
/// URL parsers differ on text such as `http://a.example\@b.example/` or a host with a tab in it; a check on one
/// reading and a request on another would let a manifest pass the check with one host and reach another. So the
/// authority may hold only a plain host name (letters, digits, `.`, `-`, `_`), an IPv4 address, a bracketed IPv6
/// address, an optional port and, before an `@`, plain user information; anything else is refused.
public struct ManifestURL: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The host, lowercased, without brackets.
    public let host: String
    /// The port written in the URL, if any.
    public let port: Int?
    /// Whether the URL carries `user[:password]@` before its host.
    public let hasUserInfo: Bool

    /// The port a request goes to: the written one, or the scheme's.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// `host` or `host:port` as written, for messages and trust entries (IPv6 in brackets).
    public var authority: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(shownHost):\($0)" } ?? shownHost
    }

    /// Why a text is not a URL a manifest may use.
    public enum Problem: Error, Equatable, Sendable {
        case notHTTP, badHost, badPort, badUserInfo
    }

    /// Parses `text`, which must begin with `http://` or `https://`.
    public init(parsing text: String) throws(Problem) {
        let scheme: String
        if text.hasPrefix("https://") {
            scheme = "https"
        } else if text.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw .notHTTP
        }
        let rest = text.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var hostAndPort = authority
        var hasUserInfo = false
        if let at = authority.lastIndex(of: "@") {
            hasUserInfo = true
            guard authority[..<at].unicodeScalars.allSatisfy(ManifestURL.isUserInfo) else { throw .badUserInfo }
            hostAndPort = authority[authority.index(after: at)...]
        }
        var host: Substring
        var portText: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw .badHost }
            host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badHost }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.contains(":"),
                host.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." })
            else { throw .badHost }
        } else {
            if let colon = hostAndPort.firstIndex(of: ":") {
                host = hostAndPort[..<colon]
                portText = hostAndPort[hostAndPort.index(after: colon)...]
            } else {
                host = hostAndPort
            }
            guard !host.isEmpty, host.unicodeScalars.allSatisfy(ManifestURL.isHostName) else { throw .badHost }
        }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ ("0"..."9").contains($0) }),
                let number = Int(portText), (1...65535).contains(number)
            else { throw .badPort }
            port = number
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.hasUserInfo = hasUserInfo
    }

    private static func isHostName(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "." || scalar == "-" || scalar == "_"
    }

    /// RFC 3986's userinfo: unreserved, percent-encoded and sub-delimiter characters, and `:`.
    private static func isUserInfo(_ scalar: Unicode.Scalar) -> Bool {
        isHostName(scalar) || "~%!$&'()*+,;=:".unicodeScalars.contains(scalar)
    }
}
