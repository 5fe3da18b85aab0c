import Foundation
import Manifest
import Storage

/// Posts the run record to the app's URL, signed so the app can trust it.
///
/// Headers: `X-Runner-Timestamp` (Unix seconds) and, when a secret is set,
/// `X-Runner-Signature: sha256=HEX`, the HMAC-SHA256 of `TIMESTAMP.BODY` with the secret.
/// The receiver recomputes it, compares in constant time, and refuses old timestamps (replays).
///
/// The receiver is not trusted with more than the record (docs/security.md): delivery follows no redirect (a 3xx is
/// a failed delivery, sent again by the next apply, and the signed body never reaches another origin), and a target
/// on a link-local or metadata address is refused unless the trusted side allows its host (`WebhookTarget`).
struct Webhook: Sendable {
    let url: URL
    let secret: Secret?
    let http: HTTPClient
    let trustedHosts: TrustedHosts

    /// A webhook; `trustedHosts` and `secrets` default to the process environment's (`RUNNER_TRUSTED_HOSTS`, the
    /// credential variables), and the webhook secret is scrubbed from every message too.
    init(
        url: URL, secret: Secret?, attempts: Int = 5, baseDelay: Duration = .milliseconds(500),
        trustedHosts: TrustedHosts? = nil, secrets: SecretValues? = nil
    ) {
        self.url = url
        self.secret = secret
        let environment = ProcessInfo.processInfo.environment
        self.trustedHosts = trustedHosts ?? TrustedHosts(environment: environment)
        let secrets = (secrets ?? SecretValues(environment: environment)).adding(secret.map { [$0] } ?? [])
        // 408, 429 and every 5xx are worth another attempt; a 4xx says the app refused the record, and a 3xx is
        // not followed (the transport follows none) nor retried: the same URL would answer the same.
        http = HTTPClient(
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: baseDelay, maxDelay: .seconds(10)) { response in
                response.status == 408 || response.status == 429 || response.status >= 500
            }, secrets: secrets)
    }

    /// The signature header's value for `body` sent at `timestamp`.
    static func signature(body: Data, timestamp: Int, secret: Secret) -> String {
        let message = Array("\(timestamp).".utf8) + Array(body)
        return "sha256=" + Hex.encode(HMACSHA256.mac(key: Array(secret.revealed().utf8), message: message))
    }

    /// Sends `body`; throws when the app never accepts it (a 3xx included), or when the target is refused.
    func deliver(_ body: Data) async throws {
        let target = try await WebhookTarget.check(url, display: Self.display(url), trustedHosts: trustedHosts)
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPRequest(method: "POST", url: target.url, timeout: 30)
        if let host = target.hostHeader { request.setHeader("Host", host) }
        request.setHeader("Content-Type", "application/json")
        request.setHeader("User-Agent", "runner-webhook/1")
        request.setHeader("X-Runner-Timestamp", String(timestamp))
        if let secret {
            request.setHeader("X-Runner-Signature", Self.signature(body: body, timestamp: timestamp, secret: secret))
        }
        let response: HTTPResponse
        do {
            response = try await http.send(request, body: .data(body))
        } catch {
            throw WebhookError.unreachable(url: Self.display(url), reason: error.description)
        }
        if (300..<400).contains(response.status) {
            throw WebhookError.redirected(
                url: Self.display(url), status: response.status,
                location: response.header("location").map { Redaction.text($0) })
        }
        guard response.isSuccess else { throw WebhookError.refused(url: Self.display(url), status: response.status) }
    }

    /// The URL for messages: without user information, query or fragment (which may carry a token).
    static func display(_ url: URL) -> String { Redaction.url(url) }
}

/// Why a webhook was not delivered. Each leaves the delivery unmarked, so the next apply sends the record again.
enum WebhookError: Error, CustomStringConvertible {
    case unreachable(url: String, reason: String)
    case refused(url: String, status: Int)
    /// The receiver answered a redirect, which is not followed.
    case redirected(url: String, status: Int, location: String?)
    /// The host is, or resolves to, a link-local or metadata address the trusted side has not allowed.
    case forbiddenTarget(url: String, host: String, address: String?, port: Int?)

    var description: String {
        let again = "the record is written, and the next apply sends it again"
        switch self {
        case .unreachable(let url, let reason):
            return "the webhook \(url) could not be reached (\(reason)); \(again)"
        case .refused(let url, let status):
            return "the webhook \(url) answered HTTP \(status) after retries; \(again)"
        case .redirected(let url, let status, let location):
            let target = location.map { " to \($0)" } ?? ""
            return
                "the webhook \(url) answered HTTP \(status), a redirect\(target), which the runner does not follow: a signed "
                + "record goes only to the URL in the manifest; set `webhook` to the URL that accepts the POST; \(again)"
        case .forbiddenTarget(let url, let host, let address, let port):
            let resolved = address.map { " resolves to \($0)," } ?? " is"
            return
                "the webhook \(url) is not sent: its host \(host)\(resolved) a link-local or cloud metadata address, and "
                + "a manifest may not post there (docs/security.md); if this receiver is meant, set "
                + "\(TrustedHosts.environmentVariable)=\(host) in the environment or pass \(TrustedHosts.flag) \(host)"
                + (port.map { " (or \(host):\($0))" } ?? "") + "; \(again)"
        }
    }
}
