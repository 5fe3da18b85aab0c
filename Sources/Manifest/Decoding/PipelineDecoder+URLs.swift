/// URLs in a manifest: endpoints that receive credentials, and the webhook, a destination (docs/security.md).
extension PipelineDecoder {
    /// What a URL field does with its URL.
    enum URLRole {
        /// The runner sends `credentials` (a phrase, such as "AWS credentials") there: the host must be trusted or
        /// a public service endpoint, and the URL may not carry user information.
        case credentialed(String)
        /// The runner sends a signed body there, no credential: only link-local and metadata addresses are refused.
        case destination
    }

    /// An http(s) URL, after interpolation, checked for its role.
    mutating func url(_ scalar: YAMLScalar, path: String, role: URLRole) -> String? {
        guard let resolved = resolveComplete(scalar, path: path) else { return nil }
        let shown = "\"\(YAMLNode.abbreviated(resolved.display, limit: 200))\""
        let parsed: ManifestURL
        do {
            parsed = try ManifestURL(parsing: resolved.value)
        } catch .notHTTP {
            diagnostics.error("`\(path)` must be an http:// or https:// URL; it is \(shown)", at: scalar.position)
            return nil
        } catch .badPort {
            diagnostics.error(
                "`\(path)` has a port that is not a number from 1 to 65535; it is \(shown)", at: scalar.position)
            return nil
        } catch {
            diagnostics.error(
                "`\(path)` must name a plain host (letters, digits, `.`, `-`, an IPv4 address or an [IPv6] "
                    + "address) with an optional port; it is \(shown)", at: scalar.position)
            return nil
        }
        // The host as messages may show it: only when the manifest wrote it, never a value from the environment.
        let writtenHost = (try? ManifestURL(parsing: resolved.display)).flatMap { $0 == parsed ? $0.authority : nil }
        let trusted = options.trustedHosts.allows(host: parsed.host, port: parsed.effectivePort)
        switch role {
        case .credentialed(let credentials):
            if parsed.hasUserInfo {
                diagnostics.error(
                    "`\(path)` carries user information (`user:password@` before the host); the runner "
                        + "sends \(credentials) from the environment, so remove it from the URL", at: scalar.position)
                return nil
            }
            if !trusted && !TrustedHosts.isPublicServiceEndpoint(host: parsed.host) {
                let host = writtenHost.map { "`\($0)`" } ?? "a host from \(shown)"
                let bracketed = parsed.host.contains(":") ? "[\(parsed.host)]" : parsed.host
                let allow =
                    writtenHost != nil
                    ? TrustedHosts.howToAllow(host: bracketed, port: parsed.port)
                    : "to send credentials there, set \(TrustedHosts.environmentVariable)=HOST[:PORT] in the environment "
                        + "or pass \(TrustedHosts.flag) HOST[:PORT]"
                diagnostics.error(
                    "`\(path)` points at \(host), which the manifest chose and nobody trusted, so the runner "
                        + "will not send \(credentials) there; \(allow)", at: scalar.position)
                return nil
            }
        case .destination:
            if MetadataAddress.isForbidden(host: parsed.host) && !trusted {
                let host = writtenHost.map { "`\($0)`" } ?? "a host from \(shown)"
                let entry = writtenHost ?? "HOST[:PORT]"
                diagnostics.error(
                    "`\(path)` points at \(host), a link-local or cloud metadata address, which hands out "
                        + "this machine's credentials; to send the webhook there anyway, set "
                        + "\(TrustedHosts.environmentVariable)=\(entry) in the environment or pass \(TrustedHosts.flag) \(entry)",
                    at: scalar.position)
                return nil
            }
        }
        return resolved.value
    }
}
