import Foundation

/// A request as the HTTP client sends it: the URL is final (already percent-encoded), headers in order.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    /// Seconds an in-memory exchange may take before it is abandoned (and retried); file transfers
    /// instead end when the connection stays silent for the transport's idle timeout.
    public var timeout: TimeInterval

    /// A request with no headers yet.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], timeout: TimeInterval = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }

    /// Sets a header, replacing any with the same name (names compare case-insensitively).
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    /// The value of a header, if set.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What a request sends: nothing, bytes in memory, or a range of a file streamed with its length.
public enum HTTPRequestBody: Sendable {
    case empty
    case data(Data)
    case file(URL, range: Range<Int64>)
}
