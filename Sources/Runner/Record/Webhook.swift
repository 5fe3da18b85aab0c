import Foundation
import Manifest
import Storage

/// Posts the run record to the app's URL, signed so the app can trust it.
///
/// Headers: `X-Runner-Timestamp` (Unix seconds) and, when a secret is set,
/// `X-Runner-Signature: sha256=HEX`, the HMAC-SHA256 of `TIMESTAMP.BODY` with the secret.
/// The receiver recomputes it, compares in constant time, and refuses old timestamps (replays).
struct Webhook: Sendable {
    let url: URL
    let secret: Secret?
    let http: HTTPClient

    init(url: URL, secret: Secret?, attempts: Int = 5, baseDelay: Duration = .milliseconds(500)) {
        self.url = url
        self.secret = secret
        // 408, 429 and every 5xx are worth another attempt; a 4xx says the app refused the record.
        http = HTTPClient(retry: RetryPolicy(maxAttempts: attempts, baseDelay: baseDelay, maxDelay: .seconds(10)) { response in
            response.status == 408 || response.status == 429 || response.status >= 500
        })
    }

    /// The signature header's value for `body` sent at `timestamp`.
    static func signature(body: Data, timestamp: Int, secret: Secret) -> String {
        let message = Array("\(timestamp).".utf8) + Array(body)
        return "sha256=" + Hex.encode(HMACSHA256.mac(key: Array(secret.revealed().utf8), message: message))
    }

    /// Sends `body`; throws with the last status when the app never accepts it.
    func deliver(_ body: Data) async throws {
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPRequest(method: "POST", url: url, timeout: 30)
        request.setHeader("Content-Type", "application/json")
        request.setHeader("User-Agent", "runner-webhook/1")
        request.setHeader("X-Runner-Timestamp", String(timestamp))
        if let secret { request.setHeader("X-Runner-Signature", Self.signature(body: body, timestamp: timestamp, secret: secret)) }
        let response: HTTPResponse
        do {
            response = try await http.send(request, body: .data(body))
        } catch {
            throw WebhookError.unreachable(url: Self.display(url), reason: "\(error)")
        }
        guard response.isSuccess else { throw WebhookError.refused(url: Self.display(url), status: response.status) }
    }

    /// The URL without its query (which may carry a token).
    static func display(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? "the webhook URL"
    }
}

/// Why a webhook was not delivered.
enum WebhookError: Error, CustomStringConvertible {
    case unreachable(url: String, reason: String)
    case refused(url: String, status: Int)

    var description: String {
        switch self {
        case let .unreachable(url, reason):
            return "the webhook \(url) could not be reached (\(reason)); the record is written, and the next apply sends it again"
        case let .refused(url, status):
            return "the webhook \(url) answered HTTP \(status) after retries; the record is written, and the next apply sends it again"
        }
    }
}
