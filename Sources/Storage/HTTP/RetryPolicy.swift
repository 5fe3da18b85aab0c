import Foundation

/// When and how long to wait before trying a request again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; doubled for each later one.
    public var baseDelay: Duration
    /// The longest wait between attempts.
    public var maxDelay: Duration
    /// Whether an answer is worth retrying (server errors, throttling); connection failures always are.
    public var isRetryable: @Sendable (HTTPResponse) -> Bool

    /// A policy; the default retries 500, 502, 503 and 504 up to 5 attempts from 200 ms.
    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
        isRetryable: @escaping @Sendable (HTTPResponse) -> Bool = { [500, 502, 503, 504].contains($0.status) }
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.isRetryable = isRetryable
    }

    /// The wait after failed attempt `attempt` (1-based): exponential, capped, plus up to 50% jitter so
    /// that clients retrying together do not hit the server in step.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let base = min(baseDelay * (1 << exponent), maxDelay)
        return base + base * Double.random(in: 0...0.5)
    }

    /// Whether a transport failure is transient: resets, drops and timeouts, not bad URLs or refused TLS.
    public static func isTransient(_ error: any Error) -> Bool { TransportFailure.isTransient(error) }
}
