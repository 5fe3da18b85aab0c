import Foundation
import Manifest

/// The one place that sends HTTP requests (through `HTTPTransport`): timeouts, retries with backoff
/// and jitter, bodies streamed to and from files, and redacted logs. It knows nothing of S3; callers sign through `prepare`,
/// which runs before every attempt (so a retry carries a fresh date and signature).
public final class HTTPClient: Sendable {
    /// Prepares (signs) a request before each attempt.
    public typealias Prepare = @Sendable (inout HTTPRequest) throws(HTTPError) -> Void

    public let retry: RetryPolicy
    private let log: (@Sendable (String) -> Void)?
    /// Scrubbed from every URL this client logs or puts in an error (an endpoint's path may hold one).
    private let secrets: SecretValues

    /// A client; `log` receives one redacted line per attempt that failed or was retried. URLs in logs and errors
    /// lose user information, query and fragment, and `secrets` (the caller's credentials) are scrubbed from them.
    public init(
        retry: RetryPolicy = RetryPolicy(), secrets: SecretValues = .none, log: (@Sendable (String) -> Void)? = nil
    ) {
        self.retry = retry
        self.secrets = secrets
        self.log = log
    }

    /// Sends a request and keeps the response body in memory (for small answers: listings, errors).
    /// Non-2xx answers are returned, not thrown; only transport failures throw.
    public func send(_ request: HTTPRequest, body: HTTPRequestBody = .empty, prepare: Prepare? = nil)
        async throws(HTTPError) -> HTTPResponse
    {
        var attempt = 0
        while true {
            attempt += 1
            var prepared = request
            try prepare?(&prepared)
            let outcome = await execute(prepared, body: body, sink: .memory)
            if let retryAfter = try await shouldRetry(outcome, request: prepared, attempt: attempt) {
                try await pause(retryAfter)
                continue
            }
            return try response(from: outcome, request: prepared, attempts: attempt)
        }
    }

    /// Downloads a body into an open file at `fileOffset`, resuming with `Range` from the last byte
    /// received when the connection drops. `range` (half-open, in the resource) limits it to part of
    /// the resource; nil fetches all of it. Pins later attempts to the first answer's ETag with
    /// `If-Match`, so a resumed body cannot splice two versions.
    public func download(
        _ request: HTTPRequest, range: Range<Int64>?, into descriptor: Int32, at fileOffset: Int64,
        path: String, prepare: Prepare? = nil
    ) async throws(HTTPError) -> HTTPResponse {
        var attempt = 0
        var received: Int64 = 0
        var etag: String?
        var firstResponse: HTTPExchange.Outcome?
        while true {
            if Task.isCancelled { throw .cancelled }
            attempt += 1
            var prepared = request
            let start = (range?.lowerBound ?? 0) + received
            if let range {
                prepared.setHeader("Range", "bytes=\(start)-\(range.upperBound - 1)")
            } else if received > 0 {
                prepared.setHeader("Range", "bytes=\(start)-")
            }
            if let etag { prepared.setHeader("If-Match", etag) }
            try prepare?(&prepared)
            var outcome = await execute(
                prepared, body: .empty,
                sink: .file(descriptor: descriptor, offset: fileOffset + received, path: path))
            if let failure = outcome.writeFailure { throw .file(path: path, reason: failure) }
            if received > 0, outcome.status == 200 {
                // The server ignored the Range of a resumed request and sent the whole body again.
                throw .protocolViolation(
                    url: Redaction.url(prepared.url, secrets: secrets),
                    reason: "the server ignored a Range request while resuming")
            }
            if let status = outcome.status, (200..<300).contains(status) {
                etag = etag ?? outcome.headers["etag"]
                if firstResponse == nil { firstResponse = outcome }
            }
            let progressed = outcome.written
            received += progressed
            if outcome.failure != nil, progressed > 0 {
                // A drop after progress is resumed at once and does not count against the attempts.
                log?(
                    "\(prepared.method) \(Redaction.url(prepared.url, secrets: secrets)): connection lost after \(received) bytes; resuming"
                )
                attempt -= 1
                continue
            }
            if let retryAfter = try await shouldRetry(outcome, request: prepared, attempt: attempt) {
                try await pause(retryAfter)
                continue
            }
            if outcome.failure == nil, outcome.status.map({ (200..<300).contains($0) }) == true {
                // Report the first answer's headers (full length, ETag) with the total received.
                var merged = firstResponse ?? outcome
                merged.failure = nil
                merged.written = received
                outcome = merged
            }
            return try response(from: outcome, request: prepared, attempts: attempt)
        }
    }

    /// Uploads `range` of a file, streamed from disk with an exact Content-Length.
    public func upload(_ request: HTTPRequest, file: URL, range: Range<Int64>, prepare: Prepare? = nil)
        async throws(HTTPError) -> HTTPResponse
    {
        try await send(request, body: .file(file, range: range), prepare: prepare)
    }

    // MARK: - Attempts

    private func execute(_ request: HTTPRequest, body: HTTPRequestBody, sink: ResponseSink) async
        -> HTTPExchange.Outcome
    {
        await HTTPExchange(request: request, body: body, sink: sink).run()
    }

    /// The delay before the next attempt, or nil when this outcome is final.
    private func shouldRetry(_ outcome: HTTPExchange.Outcome, request: HTTPRequest, attempt: Int)
        async throws(HTTPError) -> Duration?
    {
        if Task.isCancelled { throw .cancelled }
        guard attempt < retry.maxAttempts else { return nil }
        let reason: String
        if let failure = outcome.failure {
            guard RetryPolicy.isTransient(failure) else { return nil }
            reason = TransportFailure.sentence(failure)
        } else if let status = outcome.status {
            let response = HTTPResponse(
                status: status, headers: outcome.headers, body: outcome.body, bytesWritten: outcome.written)
            guard retry.isRetryable(response) else { return nil }
            reason = "HTTP \(status)"
        } else {
            return nil
        }
        let delay = retry.delay(afterAttempt: attempt)
        log?(
            "\(request.method) \(Redaction.url(request.url, secrets: secrets)): \(reason); retrying in \(delay) (attempt \(attempt + 1) of \(retry.maxAttempts))"
        )
        return delay
    }

    private func pause(_ delay: Duration) async throws(HTTPError) {
        do { try await Task.sleep(for: delay) } catch { throw .cancelled }
    }

    private func response(from outcome: HTTPExchange.Outcome, request: HTTPRequest, attempts: Int) throws(HTTPError)
        -> HTTPResponse
    {
        if let failure = outcome.failure {
            if Task.isCancelled || TransportFailure.isCancellation(failure) { throw .cancelled }
            throw .transport(
                url: Redaction.url(request.url, secrets: secrets),
                reason: ServerText.inert(TransportFailure.sentence(failure), secrets: secrets), attempts: attempts)
        }
        guard let status = outcome.status else {
            throw .transport(
                url: Redaction.url(request.url, secrets: secrets), reason: "no response", attempts: attempts)
        }
        return HTTPResponse(status: status, headers: outcome.headers, body: outcome.body, bytesWritten: outcome.written)
    }
}
