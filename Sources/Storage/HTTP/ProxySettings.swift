import Foundation

/// The proxies the environment names, read as curl (and so URLSession on Linux) reads them:
/// `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http URLs, and
/// `no_proxy`/`NO_PROXY` for hosts to reach directly. Loopback addresses are always reached directly.
struct ProxySettings: Sendable, Equatable {
    /// A proxy server: host, port and optional basic credentials from its URL.
    struct Server: Sendable, Equatable {
        let host: String
        let port: Int
        let user: String?
        let password: String?
    }

    let http: Server?
    let https: Server?
    /// Host names (suffixes when they start with a dot or match a domain's end) and addresses; "*" is every host.
    let direct: [String]

    /// The settings from an environment.
    init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            (environment[name.lowercased()] ?? environment[name.uppercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        http = value("http_proxy").flatMap(Self.server)
        https = value("https_proxy").flatMap(Self.server)
        direct = (value("no_proxy") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// The proxy for a URL, or nil to connect directly.
    func server(for url: URL) -> Server? {
        guard let host = url.host?.lowercased() else { return nil }
        let proxy = url.scheme?.lowercased() == "https" ? https : http
        guard let proxy, !Self.isLoopback(host) else { return nil }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        for entry in direct {
            if entry == "*" { return nil }
            // An entry may carry a port (host:port); curl matches on the host.
            let parts = entry.split(separator: ":")
            let name = parts.count == 2 ? parts[0] : Substring(entry)
            let domain = name.hasPrefix(".") ? String(name.dropFirst()) : String(name)
            if bare == domain || bare.hasSuffix("." + domain) { return nil }
        }
        return proxy
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
            || host == "[::1]"
    }

    /// `http://user:password@host:port` (the scheme may be left out, as curl allows).
    static func server(_ text: String) -> Server? {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: withScheme), let host = url.host, !host.isEmpty else { return nil }
        return Server(
            host: host, port: url.port ?? 80, user: url.user?.removingPercentEncoding,
            password: url.password?.removingPercentEncoding)
    }
}

/// Whether a request goes through a proxy, for callers outside the HTTP client that resolve names themselves (the
/// webhook's address check): through a proxy, the proxy resolves the name.
public enum HTTPRoute {
    /// Whether `url` is sent through one of the environment's proxies (as `HTTPTransport` routes it).
    public static func isProxied(_ url: URL) -> Bool { HTTPTransport.proxies.server(for: url) != nil }
}
