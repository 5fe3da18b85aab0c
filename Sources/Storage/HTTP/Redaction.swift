import Foundation
import Manifest

/// Removes credentials from anything the HTTP client logs or puts in an error.
public enum Redaction {
    /// Headers whose values are secrets or signatures.
    static let secretHeaderNames: Set<String> = [
        "authorization", "x-amz-security-token", "x-api-key", "proxy-authorization",
    ]

    /// The URL for a message: without user information, query or fragment (presigned links and output links carry
    /// signatures and tokens there: `X-Amz-Signature`, `_jwt`, anything a server invents), with `secrets` scrubbed
    /// from what is left (an endpoint's path may hold one) and control characters escaped.
    public static func url(_ url: URL, secrets: SecretValues = .none) -> String {
        text(url.absoluteString, secrets: secrets)
    }

    /// `url(_:secrets:)` for a URL given as text (a `Location` header, an endpoint setting).
    public static func text(_ url: String, secrets: SecretValues = .none) -> String {
        ServerText.inert(InertText.redactedURL(url), secrets: secrets)
    }

    /// Headers with secret values replaced by `<redacted>`.
    public static func headers(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { secretHeaderNames.contains($0.name.lowercased()) ? ($0.name, "<redacted>") : $0 }
    }
}
