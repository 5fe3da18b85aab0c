/// The hosts that may receive credentials although a manifest named them (docs/security.md).
///
/// A manifest is untrusted text: an endpoint it writes (`s3.endpoint`, a provider's `baseURL`) receives AWS
/// signatures, session tokens or the Runway key only when the trusted side allows its host, through the
/// `RUNNER_TRUSTED_HOSTS` environment variable (comma- or space-separated) or `--trust-host` flags. Entries are
/// `host` (any port) or `host:port`; hosts compare case-insensitively. The services' public endpoints (S3's
/// `s3[.-]REGION.amazonaws.com` shapes, Runway's API host) need no entry. The same list allows a webhook target on
/// a link-local or metadata address.
public struct TrustedHosts: Sendable, Equatable {
    /// The environment variable the trusted side sets.
    public static let environmentVariable = "RUNNER_TRUSTED_HOSTS"
    /// The command-line flag, for messages.
    public static let flag = "--trust-host"

    /// `host` or `host:port` entries, lowercased.
    public private(set) var entries: Set<String>

    /// The list from `RUNNER_TRUSTED_HOSTS` in `environment` and from `flags` (each may hold several, comma-separated).
    public init(environment: [String: String], flags: [String] = []) {
        let texts = [environment[Self.environmentVariable] ?? ""] + flags
        var entries: Set<String> = []
        for text in texts {
            for entry in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" }) {
                entries.insert(Self.normalized(String(entry)))
            }
        }
        self.entries = entries
    }

    /// No host trusted beyond the public endpoints.
    public static let none = TrustedHosts(environment: [:])

    /// Whether a manifest-written endpoint on `host` (and `port`, when the URL names one) may receive credentials.
    public func allows(host: String, port: Int?) -> Bool {
        let host = Self.normalized(host)
        if entries.contains(host) { return true }
        if let port, entries.contains("\(host):\(port)") { return true }
        // An IPv6 address with a port is written in brackets: `[fd00::1]:8080`.
        if let port, host.contains(":"), entries.contains("[\(host)]:\(port)") { return true }
        return false
    }

    /// Whether `host` is a public endpoint of a service the runner sends credentials to anyway:
    /// S3's regional and global endpoints (`s3.amazonaws.com`, `s3.REGION.amazonaws.com`, `s3-REGION.amazonaws.com`,
    /// `s3.dualstack.REGION.amazonaws.com`, and `.amazonaws.com.cn`) and Runway's API (`api.dev.runwayml.com`).
    /// Other `*.amazonaws.com` names are not: API Gateway and S3 website hosts answer for anyone's code.
    public static func isPublicServiceEndpoint(host: String) -> Bool {
        let host = normalized(host)
        if host == "api.dev.runwayml.com" { return true }
        for suffix in [".amazonaws.com", ".amazonaws.com.cn"] where host.hasSuffix(suffix) {
            let labels = host.dropLast(suffix.count).split(separator: ".", omittingEmptySubsequences: false)
            guard let first = labels.first else { return false }
            let regionLike: (Substring) -> Bool = { label in
                !label.isEmpty && label.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
            }
            switch labels.count {
            case 1: return first == "s3" || (first.hasPrefix("s3-") && regionLike(first.dropFirst(3)))
            case 2: return first == "s3" && regionLike(labels[1])
            case 3: return first == "s3" && labels[1] == "dualstack" && regionLike(labels[2])
            default: return false
            }
        }
        return false
    }

    /// A sentence telling the user how to allow `host`, for errors.
    public static func howToAllow(host: String, port: Int?) -> String {
        let entry = port.map { "\(host):\($0)" } ?? host
        return
            "to send credentials there, set \(environmentVariable)=\(entry) in the environment or pass \(flag) \(entry)"
    }

    private static func normalized(_ text: String) -> String {
        var text = text.lowercased()
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
