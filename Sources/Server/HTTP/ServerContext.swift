import Hummingbird
import NIOCore

/// A request's context: who is calling (set by `Authentication`) and from where (for the rate limit).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whom the caller may act for; nil until authenticated.
    public var caller: Caller?
    /// The client's address, without its port.
    public let client: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
