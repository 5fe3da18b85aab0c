import Foundation
import Hummingbird
import Synchronization

/// Limits each client (by address) to `rate` requests per second on average, with bursts of twice that: a token
/// bucket per address. Past it: 429 with `Retry-After`. Also counts every answer's status for the metrics.
struct RateLimit: RouterMiddleware {
    typealias Context = ServerContext
    let rate: Double
    let answer: Answer
    let metrics: ServerMetrics
    let buckets = Buckets()

    final class Buckets: Sendable {
        private let state = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

        /// Takes one token of `client`'s bucket; false when it is empty.
        func take(_ client: String, rate: Double, burst: Double, now: ContinuousClock.Instant) -> Bool {
            state.withLock { buckets in
                // Old buckets go when the table grows, so many addresses cannot grow it without end.
                if buckets.count > 10_000 { buckets = buckets.filter { now - $0.value.at < .seconds(60) } }
                var bucket = buckets[client] ?? (burst, now)
                let elapsed =
                    Double((now - bucket.at).components.seconds)
                    + Double((now - bucket.at).components.attoseconds) / 1e18
                bucket = (min(burst, bucket.tokens + elapsed * rate), now)
                guard bucket.tokens >= 1 else {
                    buckets[client] = bucket
                    return false
                }
                bucket.tokens -= 1
                buckets[client] = bucket
                return true
            }
        }
    }

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        if rate > 0, !buckets.take(context.client, rate: rate, burst: max(2 * rate, 1), now: .now) {
            metrics.rateLimited()
            metrics.request(status: 429)
            var response = answer.json(
                ["error": "too many requests; wait a second and try again"], status: .tooManyRequests)
            response.headers[.retryAfter] = "1"
            return response
        }
        do {
            let response = try await next(request, context)
            metrics.request(status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            metrics.request(status: error.status.code)
            throw error
        }
    }
}
