import Foundation

/// What `runner serve` runs with: from its flags, else the environment (`RUNNER_SERVE_*`), else the defaults.
public struct ServeSettings: Sendable {
    /// The manifest whose `vars` each request fills (user, session, prompt).
    public var template: String
    /// Where to listen; default 127.0.0.1:8080 (`RUNNER_SERVE_LISTEN`).
    public var listen: ListenAddress
    /// The bearer tokens file (`RUNNER_SERVE_TOKENS`); nil: no tokens, loopback only, anyone acts for any user.
    public var tokensFile: String?
    /// The runs' SQLite database (`RUNNER_SERVE_STATE`); default `.runner/runs.sqlite` beside the template.
    public var database: String
    /// How long `generate_videos` and `prepare_merge` wait for a run before answering with its id
    /// (`RUNNER_SERVE_WAIT`, seconds; default 300).
    public var waitLimit: Duration
    /// The largest request body taken, in bytes (`RUNNER_SERVE_MAX_BODY`; default 64 KiB).
    public var maxBodyBytes: Int
    /// Requests a client (by address) may make per second, on average (`RUNNER_SERVE_RATE`; default 50; 0: no limit).
    public var requestsPerSecond: Double
    /// How often an event stream with nothing to say sends a comment line, so that proxies do not close it as idle
    /// (`RUNNER_SERVE_KEEPALIVE`, seconds; default 15).
    public var keepalive: Duration
    /// The environment runs read (credentials, endpoints, trusted hosts).
    public var environment: [String: String]

    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8080)

    /// Settings from flags (nil when not given) and `environment`.
    public init(
        template: String, listen: String? = nil, tokensFile: String? = nil, database: String? = nil,
        waitSeconds: Double? = nil, maxBodyBytes: Int? = nil, requestsPerSecond: Double? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServeError) {
        self.template = template
        self.environment = environment
        if let text = listen ?? environment["RUNNER_SERVE_LISTEN"] {
            self.listen = try ListenAddress(parsing: text)
        } else {
            self.listen = Self.defaultListen
        }
        self.tokensFile = tokensFile ?? environment["RUNNER_SERVE_TOKENS"].flatMap { $0.isEmpty ? nil : $0 }
        let folder = URL(fileURLWithPath: template).deletingLastPathComponent()
        self.database =
            database ?? environment["RUNNER_SERVE_STATE"]
            ?? folder.appendingPathComponent(".runner/runs.sqlite").path
        let waitSetting = try Self.number(environment, "RUNNER_SERVE_WAIT")
        let wait = waitSeconds ?? waitSetting ?? 300
        guard wait >= 0 else { throw .setting("the wait limit \(wait)", "give a number of seconds, 0 or more") }
        waitLimit = .milliseconds(Int64(wait * 1000))
        let bodySetting = try Self.number(environment, "RUNNER_SERVE_MAX_BODY").map { Int($0) }
        let body = maxBodyBytes ?? bodySetting ?? 64 * 1024
        guard body >= 1024 else { throw .setting("the body limit \(body)", "give at least 1024 bytes") }
        self.maxBodyBytes = body
        let rateSetting = try Self.number(environment, "RUNNER_SERVE_RATE")
        let rate = requestsPerSecond ?? rateSetting ?? 50
        guard rate >= 0 else { throw .setting("the request rate \(rate)", "give requests per second, 0 for no limit") }
        self.requestsPerSecond = rate
        let keepaliveSetting = try Self.number(environment, "RUNNER_SERVE_KEEPALIVE") ?? 15
        guard keepaliveSetting > 0 else {
            throw .setting("RUNNER_SERVE_KEEPALIVE=\(keepaliveSetting)", "give a number of seconds above 0")
        }
        keepalive = .milliseconds(Int64(keepaliveSetting * 1000))
    }

    private static func number(_ environment: [String: String], _ name: String) throws(ServeError) -> Double? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Double(text) else { throw .setting("\(name)=\(text)", "give a number") }
        return value
    }

    /// Refuses to listen beyond this machine without tokens: anyone who can reach the port could act for any user.
    public func checkExposure() throws(ServeError) {
        guard tokensFile == nil, !listen.isLoopback else { return }
        throw .setting(
            "--listen \(listen)",
            "without --tokens the server acts for any user, so it listens on loopback only; give --tokens FILE "
                + "(a line per token: the token, then the user ids it may act for, or *) or listen on 127.0.0.1")
    }
}
