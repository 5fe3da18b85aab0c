import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The process's one connection pool, on SwiftNIO's shared event loops. URLSession (libcurl on Linux)
/// hopped threads for every 64 KiB and polled while idle: a 1 GiB upload cost 10 s of system CPU,
/// which on a small machine is taken from the server being talked to. NIO writes from the event loop
/// with backpressure, streams a file body with its exact length, and is never shut down: it lives
/// as long as the process, like URLSession.shared.
enum HTTPTransport {
    /// Reused by every store and client in the process, so connections are shared and kept alive.
    static let direct = makeClient(proxy: nil)
    /// The environment's proxies, read once, as curl reads them.
    static let proxies = ProxySettings(environment: ProcessInfo.processInfo.environment)
    private static let viaHTTPProxy = proxies.http.map { makeClient(proxy: $0) }
    private static let viaHTTPSProxy = proxies.https.map { makeClient(proxy: $0) }

    /// The client for a URL: through the proxy the environment names for its scheme, unless the host
    /// is loopback or listed in `no_proxy`.
    static func client(for url: URL) -> AsyncHTTPClient.HTTPClient {
        guard proxies.server(for: url) != nil else { return direct }
        return (url.scheme?.lowercased() == "https" ? viaHTTPSProxy : viaHTTPProxy) ?? direct
    }

    private static func makeClient(proxy: ProxySettings.Server?) -> AsyncHTTPClient.HTTPClient {
        var configuration = configuration
        if let proxy {
            let authorization = proxy.user.map {
                AsyncHTTPClient.HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "")
            }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return AsyncHTTPClient.HTTPClient(
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
            configuration: configuration)
    }

    /// The connection rules: give up on a silent connection (no byte read or written for a minute,
    /// no connection within 5 s), follow no redirect, never decompress (a stored gzip object is downloaded
    /// byte for byte).
    ///
    /// Redirects are answers, not hops (docs/security.md): a server that answers 3xx is not trusted to choose where
    /// a signed request, the Runway key or a signed webhook body goes next. The 3xx comes back to the caller, which
    /// says what it means (S3: the bucket's region; a webhook: not delivered).
    static var configuration: AsyncHTTPClient.HTTPClient.Configuration {
        var timeout = AsyncHTTPClient.HTTPClient.Configuration.Timeout(connect: connectTimeout, read: idleTimeout)
        timeout.write = idleTimeout
        var configuration = AsyncHTTPClient.HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: timeout,
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16),
            decompression: .disabled
        )
        configuration.httpVersion = .automatic
        // Reads of up to 1 MiB instead of NIO's 64 KiB: a clip or a download range arrives in a few large
        // chunks, each one hop to the task writing the file, rather than dozens.
        configuration.http1_1ConnectionDebugInitializer = { channel in
            channel.setOption(
                ChannelOptions.recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 16 << 10, maximum: 1 << 20))
        }
        return configuration
    }

    /// How long a connection may stay silent mid-exchange before it counts as dropped.
    static let idleTimeout = TimeAmount.seconds(60)
    /// How long the transport keeps trying (with backoff) to make a connection: a refused or unresolvable
    /// endpoint is reported after this, not retried again (see `TransportFailure.isTransient`).
    static let connectTimeout = TimeAmount.seconds(5)
}
