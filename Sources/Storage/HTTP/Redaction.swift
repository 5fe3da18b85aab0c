import Foundation

/// Removes credentials from anything the HTTP client logs or puts in an error.
public enum Redaction {
    /// Query parameters whose values are secrets or signatures.
    static let secretQueryNames: Set<String> = ["x-amz-signature", "x-amz-credential", "x-amz-security-token"]
    /// Headers whose values are secrets or signatures.
    static let secretHeaderNames: Set<String> = ["authorization", "x-amz-security-token", "x-api-key", "proxy-authorization"]

    /// The URL with secret query values replaced by `<redacted>`.
    public static func url(_ url: URL) -> String {
        let text = url.absoluteString
        guard let question = text.firstIndex(of: "?") else { return text }
        let query = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { item in
            let name = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretQueryNames.contains(name.lowercased()) ? "\(name)=<redacted>" : String(item)
        }
        return text[..<question] + "?" + query.joined(separator: "&")
    }

    /// Headers with secret values replaced by `<redacted>`.
    public static func headers(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { secretHeaderNames.contains($0.name.lowercased()) ? ($0.name, "<redacted>") : $0 }
    }
}
