import Foundation

/// An endpoint set outside the manifest, as AWS SDKs read them ("service-specific endpoints"): the trusted side's
/// own (docs/security.md), so credentials may go there.
///
/// Order: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section (`s3 =` /
/// `  endpoint_url = ...`), the profile's `endpoint_url`; none at all when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
/// or the profile's `ignore_configured_endpoint_urls` is true.
public struct ConfiguredEndpoint: Sendable, Equatable {
    /// The URL as written.
    public let text: String
    /// Where it was set, for messages: "AWS_ENDPOINT_URL_S3", "endpoint_url of profile dev in ~/.aws/config".
    public let source: String

    /// The endpoint configured for `service` ("s3", "sts", "sso"), or nil for the service's AWS endpoint.
    public static func find(
        service: String, environment: [String: String], files: AWSSharedFiles,
        profile: String
    ) -> ConfiguredEndpoint? {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let section = files.profile(profile) ?? [:]
        if isTrue(environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
            || isTrue(section["ignore_configured_endpoint_urls"])
        {
            return nil
        }
        let variable = "AWS_ENDPOINT_URL_" + service.uppercased().replacingOccurrences(of: " ", with: "_")
        if let text = nonEmpty(environment[variable]) { return ConfiguredEndpoint(text: text, source: variable) }
        if let text = nonEmpty(environment["AWS_ENDPOINT_URL"]) {
            return ConfiguredEndpoint(text: text, source: "AWS_ENDPOINT_URL")
        }
        if let name = nonEmpty(section["services"]),
            let text = nonEmpty(files.services(name)?["\(service.lowercased()).endpoint_url"])
        {
            return ConfiguredEndpoint(
                text: text, source: "\(service.lowercased()).endpoint_url of [services \(name)] in \(files.configPath)")
        }
        if let text = nonEmpty(section["endpoint_url"]) {
            return ConfiguredEndpoint(
                text: text,
                source: "endpoint_url of profile \(profile) in \(files.origin(of: "endpoint_url", profile: profile))")
        }
        return nil
    }

    static func isTrue(_ text: String?) -> Bool { text?.lowercased() == "true" }
}
