import Foundation
import Manifest
import Storage

/// Where a webhook may be sent: its host resolved once, checked against link-local and metadata addresses
/// (docs/security.md), and pinned so that the connection goes to the address that was checked.
///
/// A metadata service hands the machine's credentials to whoever asks from inside it; a manifest that points the
/// webhook there (literally, or through a name that resolves there) would make the runner ask, and post the run
/// record with it. The trusted side allows such a host with `RUNNER_TRUSTED_HOSTS` or `--trust-host`.
struct WebhookTarget: Sendable {
    /// The URL requests go to: for `http`, the checked address in place of the name; otherwise the URL as given.
    let url: URL
    /// The `Host` header when the URL was pinned to an address (the name the receiver expects).
    let hostHeader: String?

    /// The target for `url`, or `WebhookError.forbiddenTarget` when its host is, or resolves to, a link-local or
    /// metadata address that `trustedHosts` does not allow.
    ///
    /// Pinning: an `http` URL is sent to the first address checked, with the original `Host` header, so that a name
    /// whose answer changes between the check and the connection (DNS rebinding) cannot move the request. An
    /// `https` URL keeps its name (the certificate is checked against it, and the TLS layer connects by name), so
    /// there the check and the connection resolve separately; so do they through a proxy (the proxy resolves the
    /// name, and `no_proxy` matches names). A name that does not resolve is left to the transport, which reports it
    /// as unreachable. The resolver blocks, so it runs on a thread of its own (`BlockingWork`).
    static func check(_ url: URL, display: String, trustedHosts: TrustedHosts) async throws(WebhookError)
        -> WebhookTarget
    {
        guard let host = url.host, !host.isEmpty else { return WebhookTarget(url: url, hostHeader: nil) }
        if trustedHosts.allows(host: host, port: url.port) { return WebhookTarget(url: url, hostHeader: nil) }
        if MetadataAddress.isForbidden(host: host) {
            throw .forbiddenTarget(url: display, host: InertText.escaped(host), address: nil, port: url.port)
        }
        let addresses = (try? await BlockingWork.run { _ in resolve(host) }) ?? []
        if let forbidden = addresses.first(where: \.isForbidden) {
            throw .forbiddenTarget(url: display, host: InertText.escaped(host), address: forbidden.text, port: url.port)
        }
        // IPv4 first: a receiver on `localhost` usually listens on 127.0.0.1, and a pinned connection has no
        // second family to fall back on.
        let preferred = addresses.first { !$0.isIPv6 } ?? addresses.first
        guard url.scheme?.lowercased() == "http", !HTTPRoute.isProxied(url), let first = preferred, first.text != host,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return WebhookTarget(url: url, hostHeader: nil) }
        components.host = first.isIPv6 ? "[\(first.text)]" : first.text
        guard let pinned = components.url else { return WebhookTarget(url: url, hostHeader: nil) }
        return WebhookTarget(url: pinned, hostHeader: url.port.map { "\(host):\($0)" } ?? host)
    }

    /// One resolved address.
    struct Address: Sendable {
        let bytes: [UInt8]
        var isIPv6: Bool { bytes.count == 16 }
        var isForbidden: Bool {
            isIPv6 ? MetadataAddress.isForbidden(ipv6: bytes) : MetadataAddress.isForbidden(ipv4: bytes)
        }

        /// The address as `inet_ntop` writes it.
        var text: String {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let family = isIPv6 ? AF_INET6 : AF_INET
            let written = bytes.withUnsafeBytes { raw in
                inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
            }
            guard written != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Every address `getaddrinfo` gives for `host` (IPv4 and IPv6), in its order; empty when it does not resolve.
    /// A literal address resolves to itself. The call blocks for as long as the resolver takes, once per delivery.
    static func resolve(_ host: String) -> [Address] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                        var value = ipv4.pointee.sin_addr
                        addresses.append(Address(bytes: withUnsafeBytes(of: &value) { Array($0) }))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                        var value = ipv6.pointee.sin6_addr
                        addresses.append(Address(bytes: withUnsafeBytes(of: &value) { Array($0) }))
                    }
                default:
                    break
                }
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
