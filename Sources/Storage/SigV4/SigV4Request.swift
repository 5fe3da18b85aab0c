/// What SigV4 signs of an HTTP request, in the forms the canonical request is built from.
public struct SigV4Request: Sendable {
    /// `GET`, `PUT`, ...
    public var method: String
    /// The path exactly as sent, already percent-encoded (`SigV4Encoding.s3Path`).
    public var encodedPath: String
    /// Query items, not yet encoded.
    public var query: [(name: String, value: String)]
    /// Headers to sign (names in any case); must include `host`.
    public var headers: [(name: String, value: String)]
    /// The payload's SHA-256 as hex, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    /// A request to sign.
    public init(
        method: String, encodedPath: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payloadHash: String
    ) {
        self.method = method
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }
}
